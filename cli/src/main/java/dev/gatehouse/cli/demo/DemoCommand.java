package dev.gatehouse.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.LogDirectoryInUseException;
import dev.gatehouse.cli.serve.ServeCommand;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.SandboxOptions;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatehouse demo}: the whole product on embedded defaults. Starts the sandbox cluster, writes a real
 * {@code gatehouse.yaml}, token file and TLS material into the demo directory, starts the gateway from that
 * config, writes a kubeconfig for the demo users and prints what to try. Ctrl-C stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Gatehouse on embedded defaults: a sandbox cluster, the gateway on TLS, demo users.")
public final class DemoCommand implements Callable<Integer> {
    static final List<StaticUser> USERS = List.of(
            new StaticUser("alice", "developers"),
            new StaticUser("bob", "sre,developers"),
            new StaticUser("carol", "auditors"));

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Demo directory (default: ~/.gatehouse/demo)")
    Path dir = Path.of(System.getProperty("user.home"), ".gatehouse", "demo");

    @Option(names = "--port", description = "Gateway port; if it is taken a free one is used (default: 8443)")
    int port = 8443;

    record StaticUser(String name, String groups) {
    }

    @Override
    public Integer call() throws Exception {
        Path home = dir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        try { // before anything is started or written: a second demo on this directory must not touch the first's
            ChainedFileAuditLog.checkNotInUse(home.resolve("data").resolve("audit"));
        } catch (LogDirectoryInUseException e) {
            spec.commandLine().getErr().println(ServeCommand.inUse("gatehouse demo", home.resolve("data"), e));
            spec.commandLine().getErr().flush();
            return ServeCommand.IN_USE;
        }
        int gatewayPort = freeOr(port);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Sandbox sandbox = Sandbox.start(SandboxOptions.builder().certificateDirectory(home.resolve("sandbox"))
                    .build());
            started.add(0, sandbox);
            SandboxIdentityProvider idp = SandboxIdentityProvider.start(0, DemoUser.defaults(),
                    home.resolve("idp"));
            started.add(0, idp);
            DemoFiles files = DemoFiles.write(home, sandbox, idp, USERS, gatewayPort);
            Gatehouse gateway;
            try {
                gateway = Gatehouse.start(ConfigLoader.load(files.config()));
            } catch (LogDirectoryInUseException e) { // started meanwhile by another process
                for (AutoCloseable resource : started) {
                    resource.close();
                }
                spec.commandLine().getErr().println(ServeCommand.inUse("gatehouse demo", home.resolve("data"), e));
                spec.commandLine().getErr().flush();
                return ServeCommand.IN_USE;
            }
            started.add(0, gateway);
            Path kubeconfig = files.writeKubeconfig(gateway.port());
            printWelcome(spec.commandLine().getOut(), kubeconfig, gateway.port(), files, idp);
            ServeCommand.runUntilStopped(started.toArray(AutoCloseable[]::new));
            return 0;
        } catch (RuntimeException | IOException e) {
            for (AutoCloseable resource : started) {
                resource.close();
            }
            throw e;
        }
    }

    /** {@code wanted} if nothing listens there on loopback, else a free port. */
    static int freeOr(int wanted) throws IOException {
        try (ServerSocket probe = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (BindException taken) {
            try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return any.getLocalPort();
            }
        }
    }

    private static void printWelcome(PrintWriter out, Path kubeconfig, int port, DemoFiles files,
                                     SandboxIdentityProvider idp) {
        GatehouseConfig config = ConfigLoader.load(files.config());
        out.printf("%nGatehouse demo is running: gateway https://127.0.0.1:%d in front of the sandbox cluster.%n", port);
        out.printf("%nKubeconfig (break-glass static tokens for alice, bob, carol; CA pinned): %s%n", kubeconfig);
        out.printf("Config: %s%nAudit log: %s%n%n", files.config(), Gatehouse.auditDirectory(config));
        out.println("Try:");
        out.printf("  export KUBECONFIG=%s%n", kubeconfig);
        out.println("  kubectl get pods -A");
        out.println("  kubectl get --raw /version            # the sandbox is the gateway's default cluster");
        out.println("  kubectl get deployments -n dev -o yaml");
        out.println("  kubectl --context bob@sandbox describe secret db-credentials -n prod");
        out.println("  kubectl create configmap hello -n dev --from-literal=greeting=hi");
        out.println("  kubectl get pods -n dev -w          # Ctrl-C to stop watching");
        out.println("  kubectl logs -f -n dev deploy/web");
        out.println("  kubectl get pods -n dev --as=root   # refused: clients cannot choose who they are");
        out.printf("  ./gatehouse audit query --log-dir %s --user alice%n", Gatehouse.auditDirectory(config));
        out.printf("  ./gatehouse audit verify --log-dir %s%n", Gatehouse.auditDirectory(config));
        Path sessions = config.dataDir().resolve("sessions");
        Path home = files.config().getParent();
        String gateway = "--server https://127.0.0.1:" + port + " --certificate-authority " + files.gatewayCa();
        out.println("\nSessions (exec, attach, cp, port-forward) are recorded and can be replayed:");
        out.println("  kubectl exec -it -n dev deploy/web -- sh      # type a few commands, then exit");
        out.println("  kubectl port-forward -n dev deploy/web 8080:8080   # an echo service; try: nc 127.0.0.1 8080");
        out.printf("  ./gatehouse sessions list --dir %s%n", sessions);
        out.printf("  ./gatehouse sessions play SESSION --dir %s%n", sessions);
        out.printf("  ./gatehouse sessions watch SESSION %s --token-file %s   # carol follows a live "
                + "session%n", gateway, home.resolve("tokens/carol"));
        out.printf("  ./gatehouse sessions kill SESSION %s --token-file %s    # bob (sre) ends it%n", gateway,
                home.resolve("tokens/bob"));
        String asBob = gateway + " --token-file " + home.resolve("tokens/bob");
        out.printf("%nPolicy and just-in-time review (rules: %s, reloaded when you edit it):%n",
                home.resolve("policy.yaml"));
        out.println("  kubectl create namespace scratch && kubectl delete namespace scratch   # alice: held until an sre "
                + "approves");
        out.printf("  ./gatehouse reviews list %s                  # in another terminal, as bob (sre)%n", asBob);
        out.printf("  ./gatehouse reviews approve REVIEW %s        # bob releases it; kubectl completes%n", asBob);
        out.printf("  ./gatehouse reviews approve REVIEW %s --token-file %s   # refused: nobody approves their own%n",
                gateway, home.resolve("tokens/alice"));
        out.printf("  ./gatehouse reviews approve REVIEW %s --token-file %s   # refused: auditors read, never approve%n",
                gateway, home.resolve("tokens/carol"));
        out.println("  kubectl exec -it -n prod deploy/web -- sh   # the session shows the review and waits for approval");
        out.println("  kubectl --context carol@sandbox delete configmap hello -n dev   # denied: auditors are read-only");
        out.printf("  ./gatehouse policy test --policy %s --user alice --group developers --verb delete "
                + "--resource namespaces --name scratch%n", home.resolve("policy.yaml"));
        out.printf("  ./gatehouse policy simulate --policy CANDIDATE.yaml --log-dir %s   # what would change%n",
                Gatehouse.auditDirectory(config));
        out.println("\nAsk for time-boxed access as alice, and approve it as bob in another terminal:");
        out.printf("  ./gatehouse request --cluster sandbox -n prod --verbs create --resources pods/exec "
                + "--for 1h --reason \"incident 42\" --wait %s --token-file %s%n", gateway,
                home.resolve("tokens/alice"));
        out.printf("  ./gatehouse grants list %s             # bob (sre) sees it%n", asBob);
        out.printf("  ./gatehouse grants approve GRANT --reason \"on call\" %s%n", asBob);
        Path oidcKubeconfig = kubeconfig.getParent().resolve("kubeconfig-oidc");
        out.printf("%nLog in as a person through the built-in identity provider (%s; users %s):%n", idp.issuerUrl(),
                idp.users().stream().map(u -> u.username()).toList());
        out.printf("  ./gatehouse login --server https://127.0.0.1:%d --certificate-authority %s --kubeconfig %s "
                + "--no-browser%n", port, files.gatewayCa(), oidcKubeconfig);
        out.printf("  KUBECONFIG=%s kubectl get pods -n dev%n", oidcKubeconfig);
        out.printf("%nReviewers' web UI (sign in as bob to approve, carol to audit): https://127.0.0.1:%d/ui/%n", port);
        Path auditDir = Gatehouse.auditDirectory(config);
        out.println("\nThe auditor's answers, each carrying its period, count, signed checkpoint and hash (docs/REPORTS.md):");
        out.println("  ./gatehouse report list");
        out.printf("  ./gatehouse report privileged-actions --log-dir %s --format json --out privileged.json%n",
                auditDir);
        out.printf("  ./gatehouse report check privileged.json --log-dir %s   # re-derives it from the log%n", auditDir);
        out.printf("  ./gatehouse report secret-reads --format html --out secret-reads.html %s --token-file %s%n",
                gateway, home.resolve("tokens/carol"));
        out.println("\nCtrl-C stops the demo.");
        out.flush();
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static CertificateAuthority.WrittenFiles gatewayTls(Path tlsDir) {
        CertificateAuthority ca = CertificateAuthority.create("gatehouse-demo-ca", Duration.ofDays(30));
        return ca.issueServer("gatehouse-demo", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(30))
                .written(tlsDir, "gateway");
    }
}
