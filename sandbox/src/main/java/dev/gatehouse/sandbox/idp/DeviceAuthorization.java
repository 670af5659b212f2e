package dev.gatehouse.sandbox.idp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.oauth2.sdk.ErrorObject;

import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt;
import no.nav.security.mock.oauth2.http.Route;

/**
 * RFC 8628 device authorization grant for the demo issuer, as a route in front of mock-oauth2-server's own (which
 * has no device grant): it adds {@code device_authorization_endpoint} to the issuer's discovery document, answers
 * {@code POST <issuer>/device_authorization}, serves the verification page {@code <issuer>/device} where one
 * enters the user code and approves as a demo user (or denies), and answers the token endpoint for
 * {@code grant_type=urn:ietf:params:oauth:grant-type:device_code} and for refresh tokens it issued itself.
 * Everything else falls through to mock-oauth2-server. Tokens are minted by mock-oauth2-server's
 * {@code issueToken} with the demo user's claims, so {@code iss}, keys and claims match the code flow.
 */
final class DeviceAuthorization implements Route {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 8628 §6.1: no vowels or look-alikes. */
    private static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

    /**
     * @param expiresIn how long a device code is valid
     * @param interval  the polling interval announced to clients (whole seconds, at least 1)
     * @param tokenLifetime lifetime of the ID tokens issued
     */
    record Settings(Duration expiresIn, Duration interval, Duration tokenLifetime) {
        static final Settings DEFAULT = new Settings(Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofHours(1));

        Settings {
            if (interval.toSeconds() < 1 || interval.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("interval must be whole seconds >= 1: " + interval);
            }
        }
    }

    /** Mints tokens for a user: the ID token (JWT) for the given demo user. */
    interface TokenMinter {
        String idToken(DemoUser user, long lifetimeSeconds);
    }

    private enum Status { PENDING, APPROVED, DENIED, REDEEMED }

    private static final class Grant {
        final String deviceCode;
        final String userCode;
        final String clientId;
        final String scope;
        final Instant expiresAt;
        long intervalSeconds;
        Instant lastPoll;
        Status status = Status.PENDING;
        DemoUser user;

        Grant(String deviceCode, String userCode, String clientId, String scope, Instant issuedAt, Instant expiresAt,
                long intervalSeconds) {
            this.deviceCode = deviceCode;
            this.userCode = userCode;
            this.clientId = clientId;
            this.scope = scope;
            this.expiresAt = expiresAt;
            this.intervalSeconds = intervalSeconds;
            this.lastPoll = issuedAt;
        }
    }

    private record Refresh(DemoUser user, String clientId, String scope) {
    }

    private final String issuerId;
    private final List<String> clientIds;
    private final List<DemoUser> users;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Grant> byDeviceCode = new ConcurrentHashMap<>();
    private final Map<String, Grant> byUserCode = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private volatile TokenMinter minter;

    DeviceAuthorization(String issuerId, List<String> clientIds, List<DemoUser> users, Settings settings, Clock clock) {
        this.issuerId = issuerId;
        this.clientIds = List.copyOf(clientIds);
        this.users = List.copyOf(users);
        this.settings = Objects.requireNonNull(settings);
        this.clock = clock;
    }

    /** Set once the mock server exists (it is built with this route, so it cannot be passed in). */
    void minter(TokenMinter minter) {
        this.minter = minter;
    }

    private String path(String endpoint) {
        return "/" + issuerId + endpoint;
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if ("GET".equals(method) && path.equals(path("/.well-known/openid-configuration"))) {
            return true;
        }
        if ("POST".equals(method) && path.equals(path("/device_authorization"))) {
            return true;
        }
        if (("GET".equals(method) || "POST".equals(method)) && path.equals(path("/device"))) {
            return true;
        }
        if ("POST".equals(method) && path.equals(path("/token"))) {
            String grant = form(request).get("grant_type");
            return GRANT_TYPE.equals(grant)
                    || ("refresh_token".equals(grant) && refreshTokens.containsKey(form(request).getOrDefault("refresh_token", "")));
        }
        return false;
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/.well-known/openid-configuration")) {
            return discovery(request);
        }
        if (path.endsWith("/device_authorization")) {
            return authorize(request);
        }
        if (path.endsWith("/device")) {
            return "GET".equals(request.getMethod()) ? page(request.getUrl().queryParameter("user_code"), null)
                    : verify(form(request));
        }
        Map<String, String> form = form(request);
        return GRANT_TYPE.equals(form.get("grant_type")) ? poll(form) : refresh(form);
    }

    private static Map<String, String> form(OAuth2HttpRequest request) {
        String body = request.getBody();
        if (body == null || body.isEmpty()) {
            return Map.of();
        }
        return request.getFormParameters().getMap();
    }

    /** The issuer as mock-oauth2-server derives it: this request's scheme, host and port, then the issuer id. */
    private String issuerUrl(OAuth2HttpRequest request) {
        return request.getUrl().newBuilder().encodedPath("/" + issuerId).query(null).build().toString();
    }

    private OAuth2HttpResponse discovery(OAuth2HttpRequest request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = new LinkedHashMap<>(
                OAuth2HttpResponseKt.getObjectMapper().convertValue(request.toWellKnown(), Map.class));
        String issuer = (String) doc.get("issuer");
        doc.put("device_authorization_endpoint", issuer + "/device_authorization");
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", GRANT_TYPE));
        return OAuth2HttpResponseKt.json(doc);
    }

    private OAuth2HttpResponse authorize(OAuth2HttpRequest request) {
        Map<String, String> form = form(request);
        String clientId = form.get("client_id");
        if (clientId == null || !clientIds.contains(clientId)) {
            return error("invalid_client", "unknown client_id " + clientId, 401);
        }
        Instant now = clock.instant();
        String deviceCode = random(32);
        String userCode = userCode();
        Grant grant = new Grant(deviceCode, userCode, clientId, form.getOrDefault("scope", "openid"), now,
                now.plus(settings.expiresIn()), settings.interval().toSeconds());
        byDeviceCode.put(deviceCode, grant);
        byUserCode.put(userCode, grant);
        String verification = issuerUrl(request) + "/device";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", deviceCode);
        body.put("user_code", userCode);
        body.put("verification_uri", verification);
        body.put("verification_uri_complete", verification + "?user_code=" + userCode);
        body.put("expires_in", settings.expiresIn().toSeconds());
        body.put("interval", settings.interval().toSeconds());
        return OAuth2HttpResponseKt.json(body);
    }

    /** The token endpoint for a device code: RFC 8628 §3.5. */
    private OAuth2HttpResponse poll(Map<String, String> form) {
        Grant grant = byDeviceCode.get(form.getOrDefault("device_code", ""));
        if (grant == null || grant.status == Status.REDEEMED) {
            return error("invalid_grant", "unknown or already used device_code", 400);
        }
        if (!grant.clientId.equals(form.get("client_id"))) {
            return error("invalid_client", "the device_code was issued to another client", 401);
        }
        synchronized (grant) {
            Instant now = clock.instant();
            if (!now.isBefore(grant.expiresAt)) {
                forget(grant);
                return error("expired_token", "the device code expired", 400);
            }
            if (grant.status == Status.DENIED) {
                forget(grant);
                return error("access_denied", "the user denied the sign-in", 400);
            }
            Instant earliest = grant.lastPoll.plusSeconds(grant.intervalSeconds);
            grant.lastPoll = now;
            if (now.isBefore(earliest)) {
                grant.intervalSeconds += 5;
                return error("slow_down", "polling faster than every " + (grant.intervalSeconds - 5) + " s", 400);
            }
            if (grant.status == Status.PENDING) {
                return error("authorization_pending", "the user has not approved the sign-in yet", 400);
            }
            grant.status = Status.REDEEMED;
            forget(grant);
            return tokens(grant.user, grant.clientId, grant.scope);
        }
    }

    private OAuth2HttpResponse refresh(Map<String, String> form) {
        Refresh previous = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
        if (previous == null) {
            return error("invalid_grant", "unknown refresh_token", 400);
        }
        if (!previous.clientId().equals(form.get("client_id"))) {
            return error("invalid_grant", "the refresh_token was issued to another client", 400);
        }
        return tokens(previous.user(), previous.clientId(), previous.scope());
    }

    private OAuth2HttpResponse tokens(DemoUser user, String clientId, String scope) {
        TokenMinter m = Objects.requireNonNull(minter, "minter");
        long lifetime = settings.tokenLifetime().toSeconds();
        String idToken = m.idToken(user, lifetime);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("id_token", idToken);
        body.put("access_token", m.idToken(user, lifetime));
        body.put("expires_in", lifetime);
        body.put("scope", scope);
        if (List.of(scope.split(" ")).contains("offline_access")) {
            String refresh = random(32);
            refreshTokens.put(refresh, new Refresh(user, clientId, scope));
            body.put("refresh_token", refresh);
        }
        return OAuth2HttpResponseKt.json(body);
    }

    private OAuth2HttpResponse verify(Map<String, String> form) {
        String userCode = normalize(form.get("user_code"));
        Grant grant = userCode == null ? null : byUserCode.get(userCode);
        if (grant == null || !clock.instant().isBefore(grant.expiresAt)) {
            return page(form.get("user_code"), "Unknown or expired code. Check the code your terminal shows.");
        }
        synchronized (grant) {
            if (grant.status != Status.PENDING) {
                return page(form.get("user_code"), "This code was already used.");
            }
            if ("deny".equals(form.get("action"))) {
                grant.status = Status.DENIED;
                return done("Sign-in denied. The terminal will report it.");
            }
            Optional<DemoUser> user = users.stream().filter(u -> u.username().equals(form.get("username"))).findFirst();
            if (user.isEmpty()) {
                return page(form.get("user_code"), "Pick one of the demo users.");
            }
            grant.user = user.get();
            grant.status = Status.APPROVED;
            return done("Signed in as " + escape(grant.user.username()) + ". You can close this window and return to "
                    + "your terminal.");
        }
    }

    private void forget(Grant grant) {
        byDeviceCode.remove(grant.deviceCode);
        byUserCode.remove(grant.userCode);
    }

    private OAuth2HttpResponse page(String userCode, String problem) {
        String code = userCode == null ? "" : escape(userCode);
        StringBuilder buttons = new StringBuilder();
        for (DemoUser u : users) {
            buttons.append("<button type=\"submit\" name=\"username\" value=\"").append(escape(u.username()))
                    .append("\">Approve as ").append(escape(u.username())).append(" (")
                    .append(escape(String.join(", ", u.groups()))).append(")</button>\n");
        }
        return OAuth2HttpResponseKt.html("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Gatehouse demo device sign-in</title>
                <style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}button,input{width:100%;padding:.8rem;margin:.3rem 0;box-sizing:border-box}</style>
                </head><body><h1>Gatehouse demo</h1><p>Sign in a device: check that the code matches the one your terminal shows, then pick a demo user.</p>
                """ + (problem == null ? "" : "<p role=\"alert\"><strong>" + escape(problem) + "</strong></p>\n")
                + "<form method=\"post\"><label>Code <input name=\"user_code\" value=\"" + code
                + "\" autocomplete=\"off\" required></label>\n" + buttons
                + "<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form></body></html>\n");
    }

    private static OAuth2HttpResponse done(String message) {
        return OAuth2HttpResponseKt.html("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gatehouse demo"
                + "</title></head><body><h1>Gatehouse demo</h1><p>" + message + "</p></body></html>\n");
    }

    private static OAuth2HttpResponse error(String code, String description, int status) {
        return OAuth2HttpResponseKt.oauth2Error(new ErrorObject(code, description, status));
    }

    /** Upper case without separators or blanks, then XXXX-XXXX, so "bcdf ghjk" and "BCDF-GHJK" match. */
    static String normalize(String userCode) {
        if (userCode == null) {
            return null;
        }
        String s = userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
        return s.length() == 8 ? s.substring(0, 4) + "-" + s.substring(4) : s;
    }

    private static String userCode() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                s.append('-');
            }
            s.append(USER_CODE_ALPHABET.charAt(RANDOM.nextInt(USER_CODE_ALPHABET.length())));
        }
        return s.toString();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
