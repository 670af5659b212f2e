package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.listen.CertificateAuthority;

/**
 * The files one run needs, in one work directory: a CA with server certificates for the upstream, the
 * nginx proxy and the gateway; the fixed PodList body and the large bodies for the streaming checks; the
 * gateway's token file and config; an OIDC issuer's metadata and token; a kubeconfig for {@code kubectl proxy}.
 */
final class Fixture {
    /** The path every target serves; nginx answers it with the fixed body. */
    static final String PODS_PATH = "/api/v1/namespaces/default/pods";
    static final String CLUSTER = "bench";
    static final String CLIENT_TOKEN = "bench-client-token-0123456789abcdef";
    static final String UPSTREAM_TOKEN = "bench-upstream-token-ignored-by-nginx";

    final Path dir;
    final CertificateAuthority.WrittenFiles upstreamTls;
    final CertificateAuthority.WrittenFiles proxyTls;
    final CertificateAuthority.WrittenFiles gatewayTls;
    final int bodyBytes;

    private Fixture(Path dir, CertificateAuthority.WrittenFiles upstreamTls, CertificateAuthority.WrittenFiles proxyTls,
                    CertificateAuthority.WrittenFiles gatewayTls, int bodyBytes) {
        this.dir = dir;
        this.upstreamTls = upstreamTls;
        this.proxyTls = proxyTls;
        this.gatewayTls = gatewayTls;
        this.bodyBytes = bodyBytes;
    }

    /** Writes the TLS material and the fixed body into {@code dir} (created, readable by nginx's workers). */
    static Fixture create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("www").resolve(PODS_PATH.substring(1)).getParent());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CertificateAuthority ca = CertificateAuthority.create("gatehouse-bench-ca", Duration.ofDays(1));
        List<String> ip = List.of("127.0.0.1");
        var upstream = ca.issueServer("upstream", List.of("localhost"), ip, Duration.ofDays(1)).written(dir, "upstream");
        var proxy = ca.issueServer("nginx-proxy", List.of("localhost"), ip, Duration.ofDays(1)).written(dir, "proxy");
        var gateway = ca.issueServer("gateway", List.of("localhost"), ip, Duration.ofDays(1)).written(dir, "gateway");
        byte[] body = PodListBody.json().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("www").resolve(PODS_PATH.substring(1)), body);
        Files.writeString(dir.resolve("upstream-token"), UPSTREAM_TOKEN + "\n");
        Files.writeString(dir.resolve("tokens.csv"), CLIENT_TOKEN + ",bench-user,bench-uid,\"bench,system:authenticated\"\n");
        return new Fixture(dir, upstream, proxy, gateway, body.length);
    }

    /** A file of {@code bytes} under {@code www/<name>} for the streaming checks. */
    Path largeFile(String name, long bytes) throws IOException {
        Path file = dir.resolve("www").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] block = PodListBody.json().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
        return file;
    }

    /**
     * The bench's OIDC identity provider: an RSA key, its discovery document and JWKS under {@code www/idp}
     * (the upstream nginx serves them at {@code /idp}, as any IdP serves static metadata), and one RS256 ID
     * token for {@code bench@example.com} valid for {@code lifetime}.
     */
    IdentityProvider identityProvider(int upstreamPort, Duration lifetime) throws IOException {
        String issuer = "https://127.0.0.1:" + upstreamPort + IdentityProvider.PATH;
        Path idp = dir.resolve("www").resolve(IdentityProvider.PATH.substring(1));
        Files.createDirectories(idp.resolve(".well-known"));
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("bench-1").keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            Files.writeString(idp.resolve(".well-known/openid-configuration"),
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks.json\","
                            + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
            Files.writeString(idp.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(IdentityProvider.AUDIENCE)
                    .subject("bench-user-0001").claim("email", "bench@example.com")
                    .claim("groups", List.of("bench", "developers")).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return new IdentityProvider(issuer, jwt.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException("the bench's OIDC token could not be signed", e);
        }
    }

    /** The bench's OIDC issuer and the token the OIDC target's clients send. */
    record IdentityProvider(String issuerUrl, String token) {
        static final String PATH = "/idp";
        static final String AUDIENCE = "gatehouse-bench";
    }

    /**
     * The gateway's config: TLS listener, static tokens, one cluster that is the nginx upstream; with
     * {@code idp}, also that OIDC issuer (static tokens stay, as break-glass does in production).
     */
    Path gatewayConfig(String name, int port, int upstreamPort, IdentityProvider idp) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        String oidc = idp == null ? "" : """
                  oidc:
                    - {issuerUrl: "%s", audiences: [%s], usernameClaim: email, usernamePrefix: "bench:",
                       groupsClaim: groups, caFile: ca.crt}
                """.formatted(idp.issuerUrl(), IdentityProvider.AUDIENCE);
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: %d, certFile: gateway.crt, keyFile: gateway.key}
                dataDir: %s-data
                upstreamTimeout: PT30S
                authentication:
                  staticTokenFile: tokens.csv
                %sclusters:
                  - {name: %s, server: "https://127.0.0.1:%d", caFile: ca.crt, tokenFile: upstream-token}
                """.formatted(port, name, oidc, CLUSTER, upstreamPort));
        return config;
    }

    /** A kubeconfig for {@code kubectl proxy} that points at the nginx upstream, with its CA pinned. */
    Path kubeconfig(int upstreamPort) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: upstream
                  cluster: {server: "https://127.0.0.1:%d", certificate-authority: %s}
                users:
                - name: bench
                  user: {token: %s}
                contexts:
                - name: bench
                  context: {cluster: upstream, user: bench}
                current-context: bench
                """.formatted(upstreamPort, upstreamTls.ca(), UPSTREAM_TOKEN));
        return kubeconfig;
    }

    /** Logback settings for the gateway JVM: INFO to a file, so logging costs what it costs in production. */
    Path logbackConfig(String name) throws IOException {
        Path file = dir.resolve(name + "-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{36} %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(dir.resolve(name + "-app.log")));
        return file;
    }

    /** A free port on loopback (released again; nothing else on this machine races for it in practice). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
