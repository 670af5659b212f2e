package dev.gatehouse.review.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.Grant;
import dev.gatehouse.review.HeldRequest;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.Review;
import dev.gatehouse.review.Verdict;

/**
 * The generic JSON payload, schema {@code gatehouse.dev/v1 ReviewNotification} (documented in
 * {@code docs/REVIEWS-NOTIFICATIONS.md}; fields are only ever added). It carries ids, identities, the request's
 * description and reasons — never the request's body, its digest or fingerprint, or any header.
 */
final class NotificationJson {
    static final String API_VERSION = "gatehouse.dev/v1";
    static final String KIND = "ReviewNotification";
    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationJson() {
    }

    static byte[] render(ReviewNotice n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", API_VERSION).put("kind", KIND).put("event", n.kind().wireName())
                .put("id", NoticeText.clean(n.deliveryId(), NoticeText.MAX_NAME))
                .put("time", n.at().toString()).put("breakGlass", n.anyBreakGlass());
        if (n.actor() != null) {
            root.set("actor", identity(n.actor()));
        }
        root.put("reason", NoticeText.clean(n.reason(), NoticeText.MAX_TEXT));
        if (!n.gatewayUrl().isEmpty()) {
            root.put("gateway", NoticeText.clean(n.gatewayUrl(), NoticeText.MAX_NAME));
        }
        if (n.review() != null) {
            root.set("review", review(n.review()));
        } else {
            root.set("grant", grant(n.grant()));
        }
        if (NoticeText.awaitingReviewers(n)) {
            root.putObject("commands").put("approve", NoticeText.approveCommand(n))
                    .put("deny", NoticeText.denyCommand(n));
        }
        root.put("summary", NoticeText.clean(NoticeText.headline(n) + ": " + NoticeText.what(n),
                NoticeText.MAX_TEXT));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode review(Review r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id()).put("state", r.state().wireName()).set("requester", identity(r.requester()));
        o.set("request", request(r.request()));
        o.put("rule", NoticeText.clean(r.rule(), NoticeText.MAX_NAME));
        o.put("reason", NoticeText.clean(r.reason(), NoticeText.MAX_TEXT));
        decision(o, r.requirement(), r.verdicts(), r.created(), r.expires(), r.validUntil());
        return o;
    }

    private static ObjectNode grant(Grant g) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", g.id()).put("state", g.state().wireName()).set("requester", identity(g.requester()));
        ObjectNode scope = o.putObject("scope").put("cluster", NoticeText.clean(g.scope().cluster(), 253));
        strings(scope.putArray("namespaces"), g.scope().namespaces());
        strings(scope.putArray("verbs"), g.scope().verbs());
        strings(scope.putArray("resources"), g.scope().resources());
        o.put("duration", g.duration().toString()).put("description", NoticeText.describe(g));
        o.put("reason", NoticeText.clean(g.reason(), NoticeText.MAX_TEXT));
        decision(o, g.requirement(), g.verdicts(), g.created(), g.expires(), g.validUntil());
        if (!g.revokedBy().isEmpty()) {
            o.put("revokedBy", NoticeText.clean(g.revokedBy(), NoticeText.MAX_NAME));
        }
        return o;
    }

    private static ObjectNode request(HeldRequest h) {
        int q = h.uri().indexOf('?');
        return JSON.createObjectNode().put("auditId", h.auditId())
                .put("cluster", NoticeText.clean(h.cluster(), 253))
                .put("verb", h.verb()).put("apiGroup", h.apiGroup()).put("resource", h.resource())
                .put("subresource", h.subresource()).put("namespace", h.namespace())
                .put("name", NoticeText.clean(h.name(), 253))
                .put("path", NoticeText.clean(q < 0 ? h.uri() : h.uri().substring(0, q), NoticeText.MAX_NAME))
                .put("description", NoticeText.describe(h));
    }

    private static void decision(ObjectNode o, ReviewRequirement req, List<Verdict> verdicts, Instant created,
                                 Instant expires, Instant validUntil) {
        long have = verdicts.stream().filter(Verdict::approve).map(v -> v.reviewer().user()).distinct().count();
        o.putObject("approvals").put("have", have).put("need", req.approvals());
        ObjectNode approvers = o.putObject("approvers");
        strings(approvers.putArray("groups"), req.approverGroups());
        strings(approvers.putArray("users"), req.approverUsers());
        strings(approvers.putArray("breakGlassGroups"), req.breakGlassGroups());
        approvers.put("reasonRequired", req.reasonRequired());
        ArrayNode list = o.putArray("verdicts");
        for (Verdict v : verdicts) {
            list.addObject().put("reviewer", NoticeText.clean(v.reviewer().user(), NoticeText.MAX_NAME))
                    .put("approve", v.approve()).put("reason", NoticeText.clean(v.reason(), NoticeText.MAX_TEXT))
                    .put("at", v.at().toString()).put("breakGlass", v.breakGlass());
        }
        o.put("created", created.toString()).put("expires", expires.toString());
        if (validUntil != null) {
            o.put("validUntil", validUntil.toString());
        }
    }

    private static ObjectNode identity(Requester r) {
        ObjectNode o = JSON.createObjectNode().put("user", NoticeText.clean(r.user(), NoticeText.MAX_NAME));
        strings(o.putArray("groups"), r.groups());
        o.put("issuer", NoticeText.clean(r.issuer(), NoticeText.MAX_NAME))
                .put("method", NoticeText.clean(r.method(), 64));
        strings(o.putArray("actorChain"), r.actorChain());
        return o;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(v -> array.add(NoticeText.clean(v, NoticeText.MAX_NAME)));
    }
}
