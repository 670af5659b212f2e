package dev.gatehouse.authn.statictoken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;

/**
 * Static bearer tokens from a file in the kube-apiserver's {@code --token-auth-file} format:
 * {@code token,user,uid,"group1,group2"} per line ({@code #} comments allowed). The break-glass and
 * bootstrap method: its identities are marked as such in the audit log. Tokens are held only as SHA-256
 * digests, so a lookup never compares secrets byte by byte.
 */
public final class StaticTokenAuthenticator implements Authenticator {
    private final Map<String, Identity> byDigest;
    private final String issuer;

    private StaticTokenAuthenticator(Map<String, Identity> byDigest, String issuer) {
        this.byDigest = Map.copyOf(byDigest);
        this.issuer = issuer;
    }

    /** Loads the token file; fails with a message naming the file and line on bad content. */
    public static StaticTokenAuthenticator load(Path file) {
        try {
            return parse(Files.readAllLines(file), "token-file:" + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("authentication.staticTokens.file: cannot read " + file, e);
        }
    }

    static StaticTokenAuthenticator parse(List<String> lines, String issuer) {
        Map<String, Identity> byDigest = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = csv(line);
            String where = issuer + " line " + (n + 1);
            if (fields.size() < 2 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                throw new IllegalArgumentException(where + ": expected token,user[,uid[,\"group1,group2\"]]");
            }
            String token = fields.get(0);
            List<String> groups = new ArrayList<>();
            if (fields.size() > 3 && !fields.get(3).isEmpty()) {
                for (String g : fields.get(3).split(",")) {
                    if (!g.isBlank()) {
                        groups.add(g.strip());
                    }
                }
            }
            Identity identity = new Identity(fields.get(1), fields.size() > 2 ? fields.get(2) : "", groups, issuer,
                    AuthenticationMethod.STATIC_TOKEN, List.of(), Map.of(), TokenFingerprint.of(token), null);
            if (byDigest.put(key(token), identity) != null) {
                throw new IllegalArgumentException(where + ": duplicate token");
            }
        }
        return new StaticTokenAuthenticator(byDigest, issuer);
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credential credential) {
        Identity identity = byDigest.get(key(credential.bearerToken()));
        return Future.succeededFuture(identity == null ? AuthenticationResult.abstain()
                : new AuthenticationResult.Authenticated(identity));
    }

    /** How many tokens the file defines. */
    public int size() {
        return byDigest.size();
    }

    private static String key(String token) {
        return java.util.HexFormat.of().formatHex(TokenFingerprint.sha256(token));
    }

    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in token file line");
        }
        out.add(field.toString().strip());
        return out;
    }
}
