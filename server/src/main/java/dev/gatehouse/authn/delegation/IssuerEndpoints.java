package dev.gatehouse.authn.delegation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The issuer's HTTP side, to mount on the gateway's listener ahead of the cluster routes:
 * <ul>
 *   <li>{@code GET /.well-known/openid-configuration} — discovery metadata (clusters' JWT authenticators
 *       and token-exchange clients read it);</li>
 *   <li>{@code GET /openid/v1/jwks} — the public keys;</li>
 *   <li>{@code POST /oauth2/token} — the RFC 8693 token exchange (form-encoded, at most 64 KiB); every
 *       answer, token or error, is first recorded by {@link TokenExchangeAudit} and carries its
 *       {@code Audit-ID}.</li>
 * </ul>
 * These paths need no bearer token. {@link #handle(HttpServerRequest)} answers and returns true for them,
 * and returns false (touching nothing) for any other path.
 */
public final class IssuerEndpoints {
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";
    public static final String TOKEN_PATH = "/oauth2/token";
    static final int MAX_FORM = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IssuerEndpoints.class);

    private final GatehouseIssuer issuer;
    private final TokenExchange exchange;
    private final TokenExchangeAudit audit;

    /** @param audit records every answer of the token endpoint before it is sent */
    public IssuerEndpoints(GatehouseIssuer issuer, TokenExchange exchange, TokenExchangeAudit audit) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Answers the request when its path is one of the issuer's; returns whether it did. */
    public boolean handle(HttpServerRequest request) {
        switch (request.path()) {
            case DISCOVERY_PATH -> getJson(request, issuer.metadataJson());
            case JWKS_PATH -> getJson(request, issuer.jwksJson());
            case TOKEN_PATH -> token(request);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void getJson(HttpServerRequest request, String body) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("Allow", "GET").end();
            return;
        }
        request.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "public, max-age=300").end(body);
    }

    private void token(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).putHeader("Allow", "POST").end();
            return;
        }
        String id = UUID.randomUUID().toString();
        Instant received = Instant.now();
        long start = System.nanoTime();
        request.response().putHeader("Audit-ID", id);
        String type = request.getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            answer(request, new TokenExchangeAudit.Request(id, received, start, remote(request), userAgent(request), 0),
                    new TokenExchange.Outcome.Error(400, "invalid_request",
                            "the body must be application/x-www-form-urlencoded"));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parseLong(length) > MAX_FORM) {
            answer(request, new TokenExchangeAudit.Request(id, received, start, remote(request), userAgent(request), 0),
                    new TokenExchange.Outcome.Error(413, "invalid_request", "the request is too large"));
            return;
        }
        request.body().onComplete(ar -> {
            long bytesIn = ar.succeeded() ? ar.result().length() : request.bytesRead();
            TokenExchangeAudit.Request attempt = new TokenExchangeAudit.Request(id, received, start, remote(request),
                    userAgent(request), bytesIn);
            if (ar.failed() || ar.result().length() > MAX_FORM) {
                answer(request, attempt, new TokenExchange.Outcome.Error(400, "invalid_request",
                        "the request body cannot be read"));
                return;
            }
            Map<String, String> form = parseForm(ar.result().toString(StandardCharsets.UTF_8));
            if (form == null) {
                answer(request, attempt, new TokenExchange.Outcome.Error(400, "invalid_request",
                        "a parameter is repeated or malformed"));
                return;
            }
            exchange.exchange(form).onComplete(out -> answer(request, attempt, out.succeeded() ? out.result()
                    : new TokenExchange.Outcome.Error(503, "temporarily_unavailable",
                    "the tokens cannot be verified now")));
        });
    }

    /** Records the outcome, then answers with it; without a durable record the client gets 503 and no token. */
    private void answer(HttpServerRequest request, TokenExchangeAudit.Request attempt, TokenExchange.Outcome outcome) {
        audit.record(attempt, outcome).onComplete(recorded -> {
            if (recorded.failed()) {
                LOG.error("{} cannot record the token exchange: {}", attempt.id(), recorded.cause().getMessage());
                oauthError(request, 503, "temporarily_unavailable",
                        "the audit log cannot be written, so no token is issued (request " + attempt.id() + ")");
            } else if (outcome instanceof TokenExchange.Outcome.Issued issued) {
                ObjectNode body = JSON.createObjectNode();
                body.put("access_token", issued.accessToken());
                body.put("issued_token_type", TokenExchange.JWT_TYPE);
                body.put("token_type", "Bearer");
                body.put("expires_in", issued.expiresIn());
                send(request, 200, body);
            } else if (outcome instanceof TokenExchange.Outcome.Error e) {
                oauthError(request, e.status(), e.error(), e.description());
            }
        });
    }

    private static String remote(HttpServerRequest request) {
        return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    }

    private static String userAgent(HttpServerRequest request) {
        return request.getHeader("User-Agent");
    }

    /** Form parameters, or null when one is repeated (RFC 6749 section 3.2) or undecodable. */
    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        try {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (form.put(name, value) != null) {
                    return null;
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return form;
    }

    private static void oauthError(HttpServerRequest request, int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        send(request, status, body);
    }

    private static void send(HttpServerRequest request, int status, ObjectNode body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.toString());
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
