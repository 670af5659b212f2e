package dev.gatehouse.audit.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.listen.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * Run in a child JVM by {@link GatewayCrashTest}: a minimal TLS cluster and the real gateway in front of it,
 * configured from YAML like a deployment, until the test kills the process with SIGKILL. Prints
 * {@code ready <gateway port>} once listening.
 */
public final class CrashingGateway {
    static final String CLIENT_TOKEN = "crash-test-token-0123456789";
    static final String UPSTREAM_TOKEN = "gateway-credential-0123456789";

    private CrashingGateway() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        CertificateAuthority.WrittenFiles upstreamTls = CertificateAuthority.create("upstream-ca", Duration.ofDays(1))
                .issueServer("upstream", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("upstream-tls"), "upstream");
        CertificateAuthority.WrittenFiles gatewayTls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("gateway-tls"), "gateway");
        int upstreamPort = startUpstream(upstreamTls);

        Files.writeString(dir.resolve("tokens.csv"), CLIENT_TOKEN + ",alice,uid-alice,\"developers\"\n");
        Files.writeString(dir.resolve("upstream-token"), UPSTREAM_TOKEN);
        Files.writeString(dir.resolve("gatehouse.yaml"), """
                listen: {address: 127.0.0.1, port: 0, certFile: %s, keyFile: %s}
                dataDir: data
                authentication: {staticTokenFile: tokens.csv}
                clusters:
                  - name: fake
                    server: https://127.0.0.1:%d
                    caFile: %s
                    tokenFile: upstream-token
                """.formatted(gatewayTls.certificate(), gatewayTls.privateKey(), upstreamPort, upstreamTls.ca()));
        Gatehouse gateway = Gatehouse.start(ConfigLoader.load(dir.resolve("gatehouse.yaml")));
        System.out.println("ready " + gateway.port() + " " + gatewayTls.ca());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static int startUpstream(CertificateAuthority.WrittenFiles tls) {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().toString())
                        .setKeyPath(tls.privateKey().toString()));
        return Vertx.vertx().createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
            var resp = req.response().putHeader("Content-Type", "application/json");
            if (!("Bearer " + UPSTREAM_TOKEN).equals(req.getHeader("Authorization"))) {
                resp.setStatusCode(401).end("{\"kind\":\"Status\",\"code\":401}");
            } else if (req.method().name().equals("POST")) {
                resp.setStatusCode(201).end("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
            } else {
                resp.end("{\"kind\":\"PodList\",\"items\":[]}");
            }
        })).listen().await().actualPort();
    }
}
