package dev.gatehouse.authn.oidc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * Tells {@code gatehouse login} which IdP people log in with: {@code GET /.well-known/gatehouse/login}
 * (no token needed) answers
 * <pre>{"issuer":"https://idp…","client_id":"gatehouse","scopes":["openid","profile","email","groups","offline_access"],
 *  "clusters":["prod","staging"],
 *  "servers":{"prod":"https://prod.gatehouse.example.com:8443","staging":"https://gatehouse.example.com:8443/clusters/staging"}}</pre>
 * {@code servers} is each cluster's URL for a client that reached this endpoint at the request's authority (its
 * host name, the root for the default cluster, else its path prefix), the URL {@code gatehouse login} writes.
 * The client id must be one of the people issuer's audiences, since the CLI presents the ID token.
 */
public final class LoginMetadataEndpoint {
    public static final String PATH = "/.well-known/gatehouse/login";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuerUrl;
    private final String clientId;
    private final List<String> scopes;
    private final Supplier<List<String>> clusters;
    private final Function<String, Map<String, String>> servers;

    /**
     * @param people   the issuer people log in with
     * @param clientId the public OIDC client registered for the CLI (e.g. {@code gatehouse}); must be one of
     *                 {@code people.audiences()}
     * @param scopes   scopes to ask for
     * @param clusters the names of the clusters behind the gateway, asked at each request
     */
    public LoginMetadataEndpoint(OidcIssuerConfig people, String clientId, List<String> scopes,
                                 Supplier<List<String>> clusters) {
        this(people, clientId, scopes, clusters, authority -> Map.of());
    }

    /**
     * @param servers each cluster's URL for a client that reached the gateway at the given authority
     *                ({@code host[:port]}); empty when it cannot tell
     */
    public LoginMetadataEndpoint(OidcIssuerConfig people, String clientId, List<String> scopes,
                                 Supplier<List<String>> clusters, Function<String, Map<String, String>> servers) {
        if (!people.audiences().contains(clientId)) {
            throw new IllegalArgumentException("login.clientId: " + clientId + " (expected: one of "
                    + people.key() + ".audiences " + people.audiences() + ")");
        }
        this.issuerUrl = people.issuerUrl();
        this.clientId = clientId;
        this.scopes = List.copyOf(scopes);
        this.clusters = Objects.requireNonNull(clusters, "clusters");
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /** Answers and returns true for {@link #PATH}; returns false for any other path. */
    public boolean handle(HttpServerRequest request) {
        if (!PATH.equals(request.path())) {
            return false;
        }
        request.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache")
                .end(json(request.authority() == null ? null : request.authority().toString()));
        return true;
    }

    /** The document this endpoint serves, without {@code servers}. */
    public String json() {
        return json(null);
    }

    /** The document this endpoint serves to a client that reached it at {@code authority} (or null). */
    public String json(String authority) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("issuer", issuerUrl);
        doc.put("client_id", clientId);
        scopes.forEach(doc.putArray("scopes")::add);
        clusters.get().forEach(doc.putArray("clusters")::add);
        Map<String, String> urls = authority == null ? Map.of() : servers.apply(authority);
        if (!urls.isEmpty()) {
            ObjectNode s = doc.putObject("servers");
            urls.forEach(s::put);
        }
        return doc.toString();
    }
}
