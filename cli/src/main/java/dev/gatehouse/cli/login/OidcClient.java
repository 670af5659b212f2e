package dev.gatehouse.cli.login;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A public OIDC client for one issuer: discovery, the authorization-code request with PKCE, the device-code
 * flow (RFC 8628) and refresh. Blocking (it runs in the CLI).
 */
final class OidcClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String issuer;
    private final String clientId;
    private final JsonNode discovery;

    private OidcClient(HttpClient http, String issuer, String clientId, JsonNode discovery) {
        this.http = http;
        this.issuer = issuer;
        this.clientId = clientId;
        this.discovery = discovery;
    }

    /** Reads the issuer's discovery document; its {@code issuer} must match exactly. */
    static OidcClient discover(HttpClient http, String issuer, String clientId) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode doc = getJson(http, base + "/.well-known/openid-configuration");
        if (!issuer.equals(doc.path("issuer").asText())) {
            throw new LoginException("the identity provider at " + issuer + " names itself "
                    + doc.path("issuer").asText() + "; refusing it");
        }
        return new OidcClient(http, issuer, clientId, doc);
    }

    String issuer() {
        return issuer;
    }

    String tokenEndpoint() {
        return require("token_endpoint");
    }

    /** The URL to open in a browser. */
    String authorizationUrl(Pkce pkce, String redirectUri, List<String> scopes) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri);
        q.put("scope", String.join(" ", scopes));
        q.put("state", pkce.state());
        q.put("code_challenge", pkce.challenge());
        q.put("code_challenge_method", "S256");
        String endpoint = require("authorization_endpoint");
        return endpoint + (endpoint.contains("?") ? "&" : "?") + form(q);
    }

    Tokens redeemCode(String code, Pkce pkce, String redirectUri) {
        return Tokens.fromResponse(postToken(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "client_id", clientId, "code_verifier", pkce.verifier())), null);
    }

    Tokens refresh(String refreshToken) {
        return Tokens.fromResponse(postToken(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", clientId)), refreshToken);
    }

    /**
     * RFC 8628: asks for a device code, shows the instruction through {@code prompt}, then polls until the user
     * approved, denied, or the code expired (or {@code timeout} passed).
     */
    Tokens deviceFlow(List<String> scopes, Consumer<String> prompt, Duration timeout, DeviceFlow.Timer timer) {
        String endpoint = discovery.path("device_authorization_endpoint").asText(null);
        if (endpoint == null) {
            throw new LoginException("the identity provider " + issuer + " does not offer the device-code flow "
                    + "(no device_authorization_endpoint); log in without --device-code");
        }
        DeviceFlow.Start start = DeviceFlow.Start.from(post(endpoint,
                Map.of("client_id", clientId, "scope", String.join(" ", scopes))));
        prompt.accept(start.instruction());
        String tokenEndpoint = tokenEndpoint();
        JsonNode granted = DeviceFlow.await(start, timeout, () -> {
            HttpResponse<String> r = send(formRequest(tokenEndpoint, Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code", start.deviceCode(), "client_id", clientId)));
            JsonNode body = parse(r.body());
            if (r.statusCode() == 200) {
                return new DeviceFlow.Answer.Granted(body);
            }
            return new DeviceFlow.Answer.Refused(body.path("error").asText("HTTP " + r.statusCode()),
                    body.path("error_description").asText(null));
        }, timer);
        return Tokens.fromResponse(granted, null);
    }

    private JsonNode postToken(Map<String, String> params) {
        return post(tokenEndpoint(), params);
    }

    private JsonNode post(String url, Map<String, String> params) {
        HttpResponse<String> r = send(formRequest(url, params));
        if (r.statusCode() != 200) {
            String error = parse(r.body()).path("error").asText("HTTP " + r.statusCode());
            throw new LoginException("the identity provider refused the request: " + error);
        }
        return parse(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        return send(http, request);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoginException("cannot reach " + request.uri().getHost() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginException("interrupted");
        }
    }

    static JsonNode getJson(HttpClient http, String url) {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) {
            throw new LoginException("GET " + url + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    private static HttpRequest formRequest(String url, Map<String, String> params) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private String require(String field) {
        String v = discovery.path(field).asText(null);
        if (v == null) {
            throw new LoginException("the identity provider's discovery document has no " + field);
        }
        return v;
    }
}
