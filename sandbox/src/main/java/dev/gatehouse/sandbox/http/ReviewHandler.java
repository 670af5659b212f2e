package dev.gatehouse.sandbox.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * The review resources, which are created and answered, never stored: access reviews ({@code kubectl auth can-i})
 * allow everything except for users in the deny list; rules reviews list everything or nothing accordingly;
 * {@code SelfSubjectReview} ({@code kubectl auth whoami}) reports the identity the request acts as, impersonation
 * included; {@code TokenReview} recognises the sandbox's own tokens.
 */
final class ReviewHandler {
    private final Set<String> deniedUsers;
    private final Function<String, Identity> tokens;

    /**
     * @param deniedUsers users every access review denies
     * @param tokens      the identity of a bearer token, or {@code null} when it is not one of the sandbox's
     */
    ReviewHandler(Set<String> deniedUsers, Function<String, Identity> tokens) {
        this.deniedUsers = Set.copyOf(deniedUsers);
        this.tokens = tokens;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType type) {
        if (!info.verb().equals("create") || !info.name().isEmpty()) {
            throw ApiException.methodNotAllowed(info.verb(), type);
        }
        ObjectNode review = Bodies.object(ex);
        review.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        if (!review.has("metadata")) {
            review.putObject("metadata");
        }
        ObjectNode status = review.putObject("status");
        String user = ex.identity().username();
        switch (type.kind()) {
            case "SelfSubjectAccessReview" -> decide(status, user);
            case "SubjectAccessReview", "LocalSubjectAccessReview" ->
                    decide(status, review.path("spec").path("user").asText(""));
            case "SelfSubjectRulesReview" -> rules(status, user);
            case "SelfSubjectReview" -> status.set("userInfo", userInfo(ex.identity()));
            case "TokenReview" -> tokenReview(status, review.path("spec").path("token").asText(""));
            default -> throw ApiException.methodNotAllowed(info.verb(), type);
        }
        ex.respond(201, review);
    }

    private void decide(ObjectNode status, String user) {
        if (deniedUsers.contains(user)) {
            status.put("allowed", false).put("reason", "the sandbox denies every request of user \"" + user + "\"");
        } else {
            status.put("allowed", true).put("reason", "the sandbox allows user \"" + user + "\"");
        }
    }

    private void rules(ObjectNode status, String user) {
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        if (!deniedUsers.contains(user)) {
            ObjectNode rule = resourceRules.addObject();
            rule.putArray("verbs").add("*");
            rule.putArray("apiGroups").add("*");
            rule.putArray("resources").add("*");
            ObjectNode nonResource = nonResourceRules.addObject();
            nonResource.putArray("verbs").add("*");
            nonResource.putArray("nonResourceURLs").add("*");
        }
        status.put("incomplete", false);
    }

    private void tokenReview(ObjectNode status, String token) {
        Identity identity = tokens.apply(token);
        status.put("authenticated", identity != null);
        if (identity != null) {
            status.set("userInfo", userInfo(identity));
        } else {
            status.put("error", "the token is not one of the sandbox's");
        }
    }

    private static ObjectNode userInfo(Identity identity) {
        ObjectNode info = Json.object().put("username", identity.username());
        if (!identity.uid().isEmpty()) {
            info.put("uid", identity.uid());
        }
        ArrayNode groups = info.putArray("groups");
        identity.groups().forEach(groups::add);
        if (!identity.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            for (Map.Entry<String, List<String>> e : identity.extra().entrySet()) {
                ArrayNode values = extra.putArray(e.getKey());
                e.getValue().forEach(values::add);
            }
        }
        return info;
    }
}
