package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts the proxies under test other than nginx: {@code kubectl proxy} and the gateway's own JVM. */
final class Processes {
    private Processes() {
    }

    /** {@code kubectl proxy} on loopback (plain HTTP on its side, as kubectl serves it) to the upstream. */
    static Child kubectlProxy(Fixture fixture, String kubectl, int port, int upstreamPort, Duration limit)
            throws IOException {
        Path kubeconfig = fixture.kubeconfig(upstreamPort);
        return Child.start("kubectl-proxy", List.of(kubectl, "proxy", "--kubeconfig", kubeconfig.toString(),
                "--address", "127.0.0.1", "--port", Integer.toString(port)),
                fixture.dir.resolve("kubectl-proxy.out"), limit).awaitPort(port, Duration.ofSeconds(20));
    }

    /** The java binary running this harness, which starts the helper JVMs on its class path. */
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /** {@code java -cp <this harness's class path>}, for a helper JVM whose main class follows. */
    static List<String> harnessJava() {
        return List.of(JAVA, "-cp", System.getProperty("java.class.path"));
    }

    /**
     * The gateway in a JVM of its own, on this harness's class path ({@link GatewayMain}) or, when
     * {@code jar} is given, as {@code java -jar gatehouse.jar serve --config FILE}. {@code auditLog} is
     * {@link GatewayMain}'s {@code --audit-log} mode: anything but {@code durable} runs a diagnostic log from the
     * harness's class path. With {@code idp} it also
     * trusts that OIDC issuer.
     */
    static Child gateway(Fixture fixture, String name, int port, int upstreamPort, List<String> jvmOptions,
                         Path jar, String auditLog, Fixture.IdentityProvider idp, Duration limit)
            throws IOException {
        Path config = fixture.gatewayConfig(name, port, upstreamPort, idp);
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + fixture.logbackConfig(name));
        if (jar != null && auditLog.equals("durable")) {
            command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(),
                    "--config", config.toString(), "--max-seconds", Long.toString(limit.toSeconds()),
                    "--audit-log", auditLog));
        }
        return Child.start(name, command, fixture.dir.resolve(name + ".out"), limit.plusSeconds(10))
                .awaitPort(port, Duration.ofSeconds(60));
    }

    /** {@link VertxProxyMain} in a JVM of its own: the stack's floor, h2 to the upstream like the gateway. */
    static Child vertxProxy(Fixture fixture, int port, int upstreamPort, List<String> jvmOptions, Duration limit)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VertxProxyMain.class.getName(),
                Integer.toString(port), Integer.toString(upstreamPort), fixture.dir.toString(), "h2",
                Long.toString(limit.toSeconds())));
        return Child.start(LoadHarness.VERTX_PROXY, command, fixture.dir.resolve("vertx-proxy.out"),
                limit.plusSeconds(10)).awaitPort(port, Duration.ofSeconds(60));
    }
}
