package dev.gatehouse.ui;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.JwtPeek;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Sign-in through the configured OIDC issuer as a public client: the authorization request (code flow, PKCE S256,
 * {@code state} and {@code nonce}), the code's exchange at the token endpoint, and the ID token's verification by
 * the gateway's own authenticator (the one cluster requests use: signature, issuer, audience, expiry, claim mapping)
 * followed by the nonce check. Endpoints come from the issuer's discovery document, whose {@code issuer} must be the
 * configured one. Never blocks an event loop.
 */
final class OidcSignIn {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 10_000;
    private static final int MAX_BODY = 256 * 1024;

    private final OidcIssuerConfig issuer;
    private final String clientId;
    private final List<String> scopes;
    private final Authenticator authenticator;
    private final HttpClientAgent client;
    private volatile Endpoints endpoints;

    /** The issuer's authorization and token endpoints. */
    record Endpoints(String authorization, String token) {
    }

    /** Why a sign-in failed, in words a person can act on (never a token). */
    static final class SignInException extends RuntimeException {
        SignInException(String message) {
            super(message);
        }
    }

    /**
     * @param issuer        the people issuer ({@code login.issuerUrl}'s entry of {@code authentication.oidc})
     * @param clientId      the public client ({@code login.clientId})
     * @param authenticator the gateway's authenticator
     */
    OidcSignIn(Vertx vertx, OidcIssuerConfig issuer, String clientId, List<String> scopes,
               Authenticator authenticator) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile", "email") : scopes.stream()
                .filter(s -> !s.equals("offline_access")).toList(); // the UI keeps no refresh token
        this.authenticator = authenticator;
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setVerifyHost(true);
        if (issuer.caFile() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(issuer.caFile().toString()));
        }
        this.client = vertx.createHttpClient(options);
    }

    String issuerUrl() {
        return issuer.issuerUrl();
    }

    /** Where the browser goes to sign in. */
    Future<String> authorizationUrl(UiSessions.SignIn signIn) {
        return endpoints().map(e -> {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("response_type", "code");
            query.put("client_id", clientId);
            query.put("redirect_uri", signIn.redirectUri());
            query.put("scope", String.join(" ", scopes.contains("openid") ? scopes
                    : java.util.stream.Stream.concat(java.util.stream.Stream.of("openid"), scopes.stream()).toList()));
            query.put("state", signIn.state());
            query.put("nonce", signIn.nonce());
            query.put("code_challenge", challenge(signIn.verifier()));
            query.put("code_challenge_method", "S256");
            return e.authorization() + (e.authorization().contains("?") ? "&" : "?") + form(query);
        });
    }

    /** The code exchanged and the ID token verified: the signed-in identity and the token. */
    Future<Map.Entry<Identity, String>> finish(UiSessions.SignIn signIn, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", signIn.redirectUri());
        form.put("client_id", clientId);
        form.put("code_verifier", signIn.verifier());
        return endpoints().compose(e -> post(e.token(), form(form))).compose(body -> {
            String idToken = body.path("id_token").asText("");
            if (idToken.isEmpty()) {
                return Future.failedFuture(new SignInException("the identity provider's token response has no "
                        + "id_token (expected: the openid scope's ID token)"));
            }
            return authenticator.authenticate(new Credential(idToken)).compose(result -> switch (result) {
                case AuthenticationResult.Authenticated a -> verified(a.identity(), idToken, signIn);
                case AuthenticationResult.Rejected r -> Future.failedFuture(new SignInException(
                        "the ID token does not verify: " + r.reason()));
                case AuthenticationResult.Abstain ignored -> Future.failedFuture(new SignInException(
                        "the ID token is not recognised by any configured authenticator"));
            });
        });
    }

    private Future<Map.Entry<Identity, String>> verified(Identity identity, String idToken, UiSessions.SignIn signIn) {
        if (identity.method() != AuthenticationMethod.OIDC || !issuer.issuerUrl().equals(identity.issuer())) {
            return Future.failedFuture(new SignInException("the ID token is not from the sign-in issuer "
                    + issuer.issuerUrl()));
        }
        if (identity.expiredAt(java.time.Instant.now())) {
            return Future.failedFuture(new SignInException("the ID token has expired"));
        }
        JwtPeek peek = JwtPeek.of(idToken); // verified above: its claims are the issuer's
        String nonce;
        try {
            nonce = peek == null ? null : peek.jwt().getJWTClaimsSet().getStringClaim("nonce");
        } catch (ParseException e) {
            nonce = null;
        }
        if (nonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                signIn.nonce().getBytes(StandardCharsets.UTF_8))) {
            return Future.failedFuture(new SignInException("the ID token's nonce is not the one this sign-in sent"));
        }
        return Future.succeededFuture(Map.entry(identity, idToken));
    }

    /** The discovery document's endpoints, fetched once. */
    private Future<Endpoints> endpoints() {
        Endpoints known = endpoints;
        if (known != null) {
            return Future.succeededFuture(known);
        }
        String base = issuer.issuerUrl().endsWith("/") ? issuer.issuerUrl() : issuer.issuerUrl() + "/";
        return get(base + ".well-known/openid-configuration").compose(doc -> {
            if (!issuer.issuerUrl().equals(doc.path("issuer").asText())) {
                return Future.failedFuture(new SignInException("the discovery document names issuer \""
                        + doc.path("issuer").asText() + "\" (expected: " + issuer.issuerUrl() + ")"));
            }
            String authorization = doc.path("authorization_endpoint").asText("");
            String token = doc.path("token_endpoint").asText("");
            if (!sameSecurity(authorization) || !sameSecurity(token)) {
                return Future.failedFuture(new SignInException("the discovery document's endpoints are missing or "
                        + "not https (expected: authorization_endpoint and token_endpoint like the issuer's URL)"));
            }
            Endpoints found = new Endpoints(authorization, token);
            endpoints = found;
            return Future.succeededFuture(found);
        });
    }

    /** https, or http only when the issuer itself is http (allowed on loopback only, by the issuer's config). */
    private boolean sameSecurity(String url) {
        if (url.isEmpty()) {
            return false;
        }
        URI uri = URI.create(url);
        return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme())
                && issuer.issuerUrl().startsWith("http://") && uri.getHost() != null
                && uri.getHost().equals(URI.create(issuer.issuerUrl()).getHost());
    }

    private Future<JsonNode> get(String url) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                        .setTimeout(TIMEOUT_MS).putHeader("Accept", "application/json"))
                .compose(request -> request.send()).compose(response -> response.body().compose(body ->
                        json(url, response.statusCode(), body)));
    }

    private Future<JsonNode> post(String url, String form) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                        .setTimeout(TIMEOUT_MS).putHeader("Accept", "application/json")
                        .putHeader("Content-Type", "application/x-www-form-urlencoded"))
                .compose(request -> request.send(form)).compose(response -> response.body().compose(body ->
                        json(url, response.statusCode(), body)));
    }

    private static Future<JsonNode> json(String url, int code, Buffer body) {
        if (body.length() > MAX_BODY) {
            return Future.failedFuture(new SignInException(url + " answered more than " + MAX_BODY + " bytes"));
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            doc = null;
        }
        if (code != 200 || doc == null || !doc.isObject()) {
            String error = doc != null && doc.hasNonNull("error") ? " (" + doc.path("error").asText() + ")" : "";
            return Future.failedFuture(new SignInException(URI.create(url).getPath() + " answered " + code + error));
        }
        return Future.succeededFuture(doc);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    void close() {
        client.close();
    }
}
