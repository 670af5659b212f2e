package dev.gatehouse.authn.serviceaccount;

import java.util.List;
import java.util.Map;

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
    public TokenReviewStatus {
        username = username == null ? "" : username;
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups == null ? List.of() : groups);
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        error = error == null ? "" : error;
    }
}
