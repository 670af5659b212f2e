package dev.gatehouse.sandbox.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The demo's identity provider on loopback: issuer {@code http://127.0.0.1:<port>/demo}, public client
 * {@code gatehouse} (authorization code with PKCE, refresh tokens), and a login page where one picks a demo
 * user; the ID token then carries that user's {@code groups} and {@code email}. Plain HTTP is acceptable only
 * because it never leaves the machine (the gateway allows http issuers on loopback only).
 *
 * <p>mock-oauth2-server has no device-authorization endpoint; {@link DeviceAuthorization} adds one (RFC 8628) with
 * the verification page {@code <issuer>/device}, so {@code gatehouse login --device-code} works against the demo.
 */
public final class SandboxIdentityProvider implements AutoCloseable {
    public static final String ISSUER_ID = "demo";
    public static final String CLIENT_ID = "gatehouse";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<DemoUser> users;
    private final MockOAuth2Server server;
    private final Path loginPage;
    private final DeviceAuthorization deviceAuthorization;

    private SandboxIdentityProvider(List<DemoUser> users, Path workDir, DeviceAuthorization.Settings device) {
        this.users = List.copyOf(users);
        try {
            Files.createDirectories(workDir);
            this.loginPage = workDir.resolve("idp-login.html");
            Files.writeString(loginPage, loginHtml(users));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo IdP's login page in " + workDir, e);
        }
        this.deviceAuthorization = new DeviceAuthorization(ISSUER_ID, List.of(CLIENT_ID), users, device,
                Clock.systemUTC());
        this.server = new MockOAuth2Server(new OAuth2Config(true, loginPage.toString(), null, false),
                deviceAuthorization);
        deviceAuthorization.minter((user, lifetime) -> idToken(user, lifetime));
    }

    /**
     * Starts the IdP on {@code 127.0.0.1:port} (0 for any free port).
     *
     * @param workDir where its login page is written
     */
    public static SandboxIdentityProvider start(int port, List<DemoUser> users, Path workDir) {
        return start(port, users, workDir, Duration.ofMinutes(10), Duration.ofSeconds(5));
    }

    /**
     * Starts the IdP with the device flow's code lifetime and polling interval (whole seconds) chosen; tests use
     * short ones.
     */
    public static SandboxIdentityProvider start(int port, List<DemoUser> users, Path workDir,
            Duration deviceCodeLifetime, Duration deviceCodeInterval) {
        SandboxIdentityProvider idp = new SandboxIdentityProvider(users, workDir,
                new DeviceAuthorization.Settings(deviceCodeLifetime, deviceCodeInterval, Duration.ofHours(1)));
        try {
            idp.server.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo IdP on port " + port, e);
        }
        return idp;
    }

    /** The issuer URL, as tokens carry it in {@code iss}. */
    public String issuerUrl() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** Where a device-code sign-in is approved (RFC 8628 {@code verification_uri}). */
    public String deviceVerificationUrl() {
        return issuerUrl() + "/device";
    }

    public List<DemoUser> users() {
        return users;
    }

    /**
     * The gateway's configuration for this IdP: audience {@code gatehouse}, username from
     * {@code preferred_username} with prefix {@code demo:}, groups with the same prefix.
     */
    public OidcIssuerConfig issuerConfig(String key) {
        return OidcIssuerConfig.builder(key).issuerUrl(issuerUrl()).audiences(List.of(CLIENT_ID))
                .usernameClaim("preferred_username").usernamePrefix("demo:")
                .attributeClaims(Map.of("email", "email")).build();
    }

    /** An ID token for a demo user, as a login would give it (tests, scripted demos). */
    public String idToken(String username, long lifetimeSeconds) {
        DemoUser user = users.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo user " + username));
        return idToken(user, lifetimeSeconds);
    }

    private String idToken(DemoUser user, long lifetimeSeconds) {
        return server.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, user.username(),
                "JWT", List.of(CLIENT_ID), claims(user), lifetimeSeconds)).serialize();
    }

    @Override
    public void close() {
        server.shutdown();
    }

    static Map<String, Object> claims(DemoUser user) {
        return Map.of("preferred_username", user.username(), "email", user.email(), "email_verified", true,
                "groups", user.groups());
    }

    private static String loginHtml(List<DemoUser> users) throws IOException {
        StringBuilder buttons = new StringBuilder();
        for (DemoUser u : users) {
            String claims = JSON.writeValueAsString(claims(u)).replace("&", "&amp;").replace("\"", "&quot;");
            buttons.append("<form method=\"post\"><input type=\"hidden\" name=\"username\" value=\"")
                    .append(Objects.requireNonNull(u.username())).append("\"><input type=\"hidden\" name=\"claims\" value=\"")
                    .append(claims).append("\"><button type=\"submit\">Sign in as ").append(u.username())
                    .append(" (").append(String.join(", ", u.groups())).append(")</button></form>\n");
        }
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Gatehouse demo sign-in</title>
                <style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}button{width:100%;padding:.8rem;margin:.3rem 0}</style>
                </head><body><h1>Gatehouse demo</h1><p>Pick a demo user:</p>
                """ + buttons + "</body></html>\n";
    }
}
