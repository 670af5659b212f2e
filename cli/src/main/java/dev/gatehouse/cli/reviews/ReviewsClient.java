package dev.gatehouse.cli.reviews;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.cli.audit.GatewayClient;

/**
 * The gateway's reviews API ({@code /gatehouse/v1/reviews}, {@code /gatehouse/v1/grants}) as the commands use it:
 * ids are checked here before they become part of a URL, and answers come back as JSON documents.
 */
public final class ReviewsClient {
    /** What an id looks like ({@code r-} or {@code g-} and base32); anything else never reaches the gateway. */
    private static final Pattern ID = Pattern.compile("[a-z]-[A-Za-z0-9]{1,64}");
    /** The states a list may ask for. */
    public static final List<String> STATES = List.of("pending", "approved", "denied", "expired", "cancelled", "used",
            "revoked", "all");

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reviews of held requests, or grants. */
    public enum Kind {
        REVIEW("/gatehouse/v1/reviews", "r-"), GRANT("/gatehouse/v1/grants", "g-");

        private final String path;
        private final String prefix;

        Kind(String path, String prefix) {
            this.path = path;
            this.prefix = prefix;
        }

        /** "review" or "grant". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final GatewayClient client;

    public ReviewsClient(GatewayClient client) {
        this.client = client;
    }

    /** The ReviewList or GrantList; {@code state} one of {@link #STATES}. */
    public JsonNode list(Kind kind, String state) throws IOException {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("--state " + state + " (expected: one of " + String.join(", ", STATES)
                    + ")");
        }
        return JSON.readTree(client.get(kind.path, Map.of("state", state)));
    }

    public JsonNode show(Kind kind, String id) throws IOException {
        return JSON.readTree(client.get(kind.path + "/" + checked(kind, id), Map.of()));
    }

    /** {@code action}: approve, deny, cancel (and revoke for grants), with an optional reason. */
    public JsonNode act(Kind kind, String id, String action, String reason) throws IOException {
        String path = kind.path + "/" + checked(kind, id) + "/" + action;
        return JSON.readTree(client.postJson(path, reason == null ? "" : JSON.writeValueAsString(
                Map.of("reason", reason))));
    }

    /** Asks for a grant; the new Grant document. */
    public JsonNode requestGrant(String cluster, List<String> namespaces, List<String> verbs, List<String> resources,
                                 String duration, String reason) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", cluster);
        body.put("namespaces", namespaces);
        body.put("verbs", verbs);
        body.put("resources", resources);
        body.put("duration", duration);
        if (reason != null) {
            body.put("reason", reason);
        }
        return JSON.readTree(client.postJson(Kind.GRANT.path, JSON.writeValueAsString(body)));
    }

    /** {@code id}, when it looks like one of {@code kind}'s ids. */
    public static String checked(Kind kind, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id;
            throw new IllegalArgumentException(kind.word() + " id \"" + shown + "\" is malformed (expected: "
                    + kind.prefix + " and letters or digits, as 'gatehouse " + kind.word() + "s list' shows)");
        }
        return id;
    }
}
