package dev.gatehouse.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.Durations;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.Verdict;

/**
 * The reviews API's documents ({@code apiVersion: gatehouse.dev/v1}, kinds Review, ReviewList, Grant, GrantList):
 * the records' fields, instants in RFC 3339, durations as {@code 2h}, plus what a person needs to act on them.
 */
final class ReviewDocuments {
    static final String API_VERSION = "gatehouse.dev/v1";

    private ReviewDocuments() {
    }

    /** A review, with its description, its approvals as {@code n/N} and whether the caller may approve it. */
    static Map<String, Object> review(Review review, boolean mayApprove) {
        Map<String, Object> doc = head("Review", review.id(), review.state().wireName());
        doc.put("requester", requester(review.requester()));
        doc.put("description", review.request().describe());
        doc.put("request", request(review.request()));
        doc.put("rule", review.rule());
        doc.put("reason", review.reason());
        doc.put("requirement", requirement(review.requirement()));
        doc.put("approvals", review.approvals() + "/" + review.requirement().approvals());
        doc.put("mayApprove", mayApprove);
        doc.put("verdicts", review.verdicts().stream().map(ReviewDocuments::verdict).toList());
        times(doc, review.created(), review.expires(), review.validUntil());
        doc.put("version", review.version());
        return doc;
    }

    /** A grant, with its approvals as {@code n/N} and whether the caller may approve it. */
    static Map<String, Object> grant(Grant grant, boolean mayApprove) {
        Map<String, Object> doc = head("Grant", grant.id(), grant.state().wireName());
        doc.put("requester", requester(grant.requester()));
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("cluster", grant.scope().cluster());
        scope.put("namespaces", grant.scope().namespaces());
        scope.put("verbs", grant.scope().verbs());
        scope.put("resources", grant.scope().resources());
        doc.put("scope", scope);
        doc.put("description", describe(grant.scope()));
        doc.put("duration", Durations.format(grant.duration()));
        doc.put("reason", grant.reason());
        doc.put("requirement", requirement(grant.requirement()));
        doc.put("approvals", approvals(grant.verdicts()) + "/" + grant.requirement().approvals());
        doc.put("mayApprove", mayApprove);
        doc.put("verdicts", grant.verdicts().stream().map(ReviewDocuments::verdict).toList());
        times(doc, grant.created(), grant.expires(), grant.validUntil());
        doc.put("revokedBy", grant.revokedBy());
        doc.put("version", grant.version());
        return doc;
    }

    /** {@code kind} ReviewList or GrantList around {@code items}. */
    static Map<String, Object> list(String kind, List<Map<String, Object>> items) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", kind);
        doc.put("items", items);
        return doc;
    }

    /** kubectl-like words for a grant's scope: "get,list pods,pods/log -n dev,web on prod". */
    static String describe(Grant.Scope scope) {
        return String.join(",", scope.verbs()) + " " + String.join(",", scope.resources())
                + (scope.namespaces().isEmpty() ? "" : " -n " + String.join(",", scope.namespaces()))
                + " on " + scope.cluster();
    }

    private static Map<String, Object> head(String kind, String id, String state) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", kind);
        doc.put("id", id);
        doc.put("state", state);
        return doc;
    }

    private static void times(Map<String, Object> doc, Instant created, Instant expires, Instant validUntil) {
        doc.put("created", created.toString());
        doc.put("expires", expires.toString());
        doc.put("validUntil", validUntil == null ? null : validUntil.toString());
    }

    private static long approvals(List<Verdict> verdicts) {
        return verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct().count();
    }

    private static Map<String, Object> requester(Requester requester) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("user", requester.user());
        doc.put("groups", requester.groups());
        doc.put("issuer", requester.issuer());
        doc.put("method", requester.method());
        doc.put("actorChain", requester.actorChain());
        return doc;
    }

    private static Map<String, Object> request(HeldRequest request) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("auditId", request.auditId());
        doc.put("cluster", request.cluster());
        doc.put("method", request.method());
        doc.put("uri", request.uri());
        doc.put("verb", request.verb());
        doc.put("apiGroup", request.apiGroup());
        doc.put("resource", request.resource());
        doc.put("subresource", request.subresource());
        doc.put("namespace", request.namespace());
        doc.put("name", request.name());
        doc.put("bodySha256", request.bodySha256());
        doc.put("bodyBytes", request.bodyBytes());
        doc.put("fingerprint", request.fingerprint());
        return doc;
    }

    private static Map<String, Object> requirement(ReviewRequirement requirement) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("approverGroups", requirement.approverGroups());
        doc.put("approverUsers", requirement.approverUsers());
        doc.put("approvals", requirement.approvals());
        doc.put("reasonRequired", requirement.reasonRequired());
        doc.put("breakGlassGroups", requirement.breakGlassGroups());
        doc.put("holdTime", Durations.format(requirement.holdTime()));
        doc.put("validity", Durations.format(requirement.validity()));
        doc.put("pendingExpiry", Durations.format(requirement.pendingExpiry()));
        return doc;
    }

    private static Map<String, Object> verdict(Verdict verdict) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("reviewer", verdict.reviewer().user());
        doc.put("approve", verdict.approve());
        doc.put("reason", verdict.reason());
        doc.put("at", verdict.at().toString());
        doc.put("breakGlass", verdict.breakGlass());
        return doc;
    }
}
