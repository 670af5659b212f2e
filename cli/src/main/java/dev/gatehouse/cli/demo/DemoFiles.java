package dev.gatehouse.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;

/**
 * The files a demo run writes: gateway TLS material, the break-glass token file, the gateway's credential for
 * the sandbox, {@code gatehouse.yaml}, and a kubeconfig with one context per demo user. Tokens are new on
 * every run and live only in these files (mode 600).
 */
final class DemoFiles {
    private final Path home;
    private final CertificateAuthority.WrittenFiles tls;
    private final Map<String, String> tokens;
    private final String sandboxUrl;
    private final Path sandboxCa;
    private final String idpIssuer;

    private DemoFiles(Path home, CertificateAuthority.WrittenFiles tls, Map<String, String> tokens, String sandboxUrl,
                      Path sandboxCa, String idpIssuer) {
        this.home = home;
        this.tls = tls;
        this.tokens = tokens;
        this.sandboxUrl = sandboxUrl;
        this.sandboxCa = sandboxCa;
        this.idpIssuer = idpIssuer;
    }

    static DemoFiles write(Path home, Sandbox sandbox, SandboxIdentityProvider idp, List<DemoCommand.StaticUser> users,
                           int port)
            throws IOException {
        CertificateAuthority.WrittenFiles tls = DemoCommand.gatewayTls(home.resolve("tls"));
        Map<String, String> tokens = new LinkedHashMap<>();
        StringBuilder tokenFile = new StringBuilder("# token,user,uid,\"groups\" (break-glass static tokens)\n");
        for (DemoCommand.StaticUser user : users) {
            String token = DemoCommand.randomToken();
            tokens.put(user.name(), token);
            tokenFile.append(token).append(',').append(user.name()).append(",demo-").append(user.name())
                    .append(",\"").append(user.groups()).append("\"\n");
        }
        writePrivate(home.resolve("tokens.csv"), tokenFile.toString());
        Files.createDirectories(home.resolve("tokens"));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            // one file per user, for the commands that read the API through the gateway (--token-file)
            writePrivate(home.resolve("tokens").resolve(token.getKey()), token.getValue() + "\n");
        }
        writePrivate(home.resolve("sandbox-token"), sandbox.token() + "\n");
        DemoFiles files = new DemoFiles(home, tls, tokens, sandbox.url(), sandbox.caFile(), idp.issuerUrl());
        files.writeConfig(port);
        files.writePolicy();
        return files;
    }

    Path config() {
        return home.resolve("gatehouse.yaml");
    }

    /** The CA that signed the gateway's certificate (kubeconfigs pin it). */
    Path gatewayCa() {
        return tls.ca();
    }

    /** The demo's policy, from the one shipped with Gatehouse; kept when it exists, so the user's edits survive. */
    private void writePolicy() throws IOException {
        Path policy = home.resolve("policy.yaml");
        if (Files.exists(policy)) {
            return;
        }
        try (java.io.InputStream in = DemoFiles.class.getResourceAsStream("/policy/demo.yaml")) {
            if (in == null) {
                throw new IOException("the demo policy (policy/demo.yaml) is missing from the classpath");
            }
            Files.write(policy, in.readAllBytes());
        }
    }

    private void writeConfig(int port) throws IOException {
        Files.writeString(config(), """
                # Written by `gatehouse demo`; `gatehouse serve --config %s` reads the same file.
                listen:
                  address: 127.0.0.1
                  port: %d
                  certFile: tls/gateway.crt
                  keyFile: tls/gateway.key
                dataDir: data
                authentication:
                  staticTokenFile: tokens.csv        # break-glass: marked as such in every audit event
                  oidc:
                    - issuerUrl: %s    # the demo's built-in identity provider
                      audiences: [gatehouse]
                      usernameClaim: preferred_username
                      usernamePrefix: "demo:"
                      groupsClaim: groups
                      groupsPrefix: "demo:"
                      attributeClaims: {email: email}
                issuer:
                  url: https://127.0.0.1:%d             # Gatehouse's own issuer: token exchange, JWKS
                login:
                  issuerUrl: %s
                  clientId: gatehouse
                clusters:
                  - name: sandbox                    # https://127.0.0.1:%d/clusters/sandbox, and the root (below)
                    server: %s
                    caFile: %s
                    tokenFile: sandbox-token
                defaultCluster: sandbox              # served at the root too: kubectl get --raw /version works
                audit:
                  readers: {groups: [auditors, sre, "demo:auditors", "demo:sre"]}   # may read the evidence and sessions through the gateway (and the web UI)
                  sessions:
                    moderators: {groups: [sre]}        # may end a live session (gatehouse sessions kill)
                    idleTimeout: PT30M
                policy:
                  path: policy.yaml                  # every request is decided by these rules; edits are reloaded
                  reloadInterval: 2s
                reviews:
                  holdTime: 120s                     # a held command waits this long for an approval, then 403
                  grants:                            # time-boxed access (gatehouse request)
                    approvers: {groups: [sre, "demo:sre"]}
                    reasonRequired: true
                """.formatted(config(), port, idpIssuer, port, idpIssuer, port, sandboxUrl, sandboxCa));
    }

    /**
     * Writes {@code kubeconfig} with a context per user, the gateway CA embedded; returns its path. The server is
     * the gateway's root, where the sandbox is the default cluster, so absolute paths ({@code kubectl get --raw
     * /version}) reach it as well as every ordinary request.
     */
    Path writeKubeconfig(int actualPort) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readString(tls.ca()).getBytes(StandardCharsets.UTF_8));
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n")
                .append("- name: sandbox\n  cluster:\n    server: https://127.0.0.1:").append(actualPort)
                .append("\n    certificate-authority-data: ").append(ca).append('\n')
                .append("users:\n");
        tokens.forEach((user, token) -> y.append("- name: ").append(user).append("\n  user:\n    token: ")
                .append(token).append('\n'));
        y.append("contexts:\n");
        tokens.keySet().forEach(user -> y.append("- name: ").append(user).append("@sandbox\n  context:\n")
                .append("    cluster: sandbox\n    user: ").append(user).append("\n    namespace: dev\n"));
        y.append("current-context: ").append(tokens.keySet().iterator().next()).append("@sandbox\n");
        Path file = home.resolve("kubeconfig");
        writePrivate(file, y.toString());
        return file;
    }

    private static void writePrivate(Path path, String content) throws IOException {
        Files.deleteIfExists(path);
        Files.createFile(path, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(path, content);
    }
}
