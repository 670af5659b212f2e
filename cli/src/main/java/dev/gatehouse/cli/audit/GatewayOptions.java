package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --server}, {@code --certificate-authority} and the token: when {@code --server} is given, a subcommand asks
 * the live gateway's audit API (so the read is recorded there) instead of reading a log directory.
 */
public final class GatewayOptions {
    static final String TOKEN_ENV = "GATEHOUSE_TOKEN";

    @Option(names = "--server", paramLabel = "URL",
            description = "The live gateway, e.g. https://gw:8443 (audit and sessions commands ask it instead of "
                    + "reading a directory; the gateway records the read).")
    URI server;

    @Option(names = "--certificate-authority", paramLabel = "FILE",
            description = "The CA (PEM) that signed the gateway's certificate (default: the system's roots).")
    Path certificateAuthority;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the bearer token (default: $" + TOKEN_ENV + ").")
    Path tokenFile;

    public boolean remote() {
        return server != null;
    }

    /** {@code --server}, or null. */
    public URI server() {
        return server;
    }

    /** {@code --certificate-authority}, or null for the system's roots. */
    public Path certificateAuthority() {
        return certificateAuthority;
    }

    /** A client for the gateway; fails with a sentence when the server URL or the token is missing or unusable. */
    public GatewayClient client() throws IOException {
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("--server " + server + " (expected: https://host:port)");
        }
        String token;
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new IOException("cannot read the token file " + tokenFile);
            }
            token = Files.readString(tokenFile).trim();
        } else {
            token = System.getenv(TOKEN_ENV) == null ? "" : System.getenv(TOKEN_ENV).trim();
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--server needs a bearer token: --token-file FILE or $" + TOKEN_ENV);
        }
        return new GatewayClient(server, certificateAuthority, token);
    }
}
