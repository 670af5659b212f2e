package dev.gatehouse.authn.serviceaccount;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code status} of a TokenReview answer.
 *
 * @param authenticated whether the API server accepted the token
 * @param username      the user name ({@code system:serviceaccount:<ns>:<name>})
 * @param uid           the service account's uid
 * @param groups        its groups
 * @param extra         extra attributes (pod name and uid, node, credential id …)
 * @param audiences     the audiences the token was found valid for
 * @param error         why the token was not accepted, when it was not
 */
public record TokenReviewStatus(boolean authenticated, String username, String uid, List<String> groups,
                                Map<String, List<String>> extra, List<String> audiences, String error) {
    /** Where TokenReviews are created. */
    public static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenReviewStatus {
        username = username == null ? "" : username;
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups == null ? List.of() : groups);
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        error = error == null ? "" : error;
    }

    /** The TokenReview to create for {@code token} (with {@code audiences} when any). */
    public static byte[] request(String token, List<String> audiences) {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
        ObjectNode spec = body.putObject("spec");
        spec.put("token", token);
        if (!audiences.isEmpty()) {
            audiences.forEach(spec.putArray("audiences")::add);
        }
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The status of a created TokenReview; {@link IllegalStateException} when the answer is not JSON. */
    public static TokenReviewStatus parse(byte[] answer) {
        JsonNode status;
        try {
            status = JSON.readTree(answer).path("status");
        } catch (IOException e) {
            throw new IllegalStateException("the TokenReview answer is not JSON");
        }
        JsonNode user = status.path("user");
        Map<String, List<String>> extra = new LinkedHashMap<>();
        user.path("extra").properties().forEach(e -> extra.put(e.getKey(), strings(e.getValue())));
        return new TokenReviewStatus(status.path("authenticated").asBoolean(false), user.path("username").asText(""),
                user.path("uid").asText(""), strings(user.path("groups")), extra, strings(status.path("audiences")),
                status.path("error").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
