package dev.gatehouse.report;

import static dev.gatehouse.report.KnownLog.at;
import static dev.gatehouse.report.KnownLog.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.answers.Recertification;

/** 11. The campaign export: usage per principal and resource, recommendations, and only accepted sign-offs. */
class RecertificationTest {
    static AuditEvent signOff(String reviewer, String campaign, String principal, String resource, String decision,
                              int code, int minute) {
        return AuditEvent.builder().auditID(java.util.UUID.randomUUID().toString())
                .requestURI("/gatehouse/v1/reports/recertification/sign-off").verb("sign-off")
                .user(new AuditEvent.UserInfo(reviewer, null, List.of("auditors"), null))
                .objectRef(new AuditEvent.ObjectRef("recertifications", null, campaign, "gatehouse.dev", "v1", null))
                .responseStatus(new AuditEvent.ResponseStatus(Map.of(), null, null, null, code))
                .receivedAt(at(minute)).stageAt(at(minute))
                .gatehouse(new AuditEvent.Gatehouse(Recertification.SIGN_OFF, null, null, code < 400 ? "allow"
                        : "refused", "sign-off", 1L, 0L, null, null, null, Map.of("campaign", campaign, "principal",
                        principal, "resource", resource, "decision", decision, "justification", "ticket 9")))
                .build();
    }

    @Test
    void oneRowPerPrincipalAndResourceWithTheAcceptedSignOff(@TempDir Path dir) throws Exception {
        KnownLog log = new KnownLog();
        int alice1 = log.add(request("alice", "get", "pods", "dev", "a", 200, 1).build());
        int alice2 = log.add(request("alice", "get", "pods", "dev", "b", 200, 2).build());
        int bobOld = log.add(request("bob", "create", "configmaps", "dev", "c", 201, -40 * 1440).build());
        log.add(request("bob", "delete", "pods", "dev", "d", 403, 3).build()); // denied: not access held
        int root = log.add(request("root", "get", "pods", "prod", "e", 200, 4)
                .authn(KnownLog.staticToken("sha256:feed")).build());
        log.add(signOff("carol", "q1", "alice", "prod/dev/pods", "keep", 200, 5));
        log.add(signOff("mallory", "q1", "bob", "prod/dev/configmaps", "keep", 403, 6)); // refused: not a decision
        log.add(signOff("carol", "q2", "bob", "prod/dev/configmaps", "revoke", 200, 7)); // another campaign
        Path logDir = log.write(dir.resolve("audit"));

        ReportAnswer a = KnownLog.runner(logDir, null).run(new ReportQuery("recertification",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"), Map.of("campaign",
                "q1")));
        assertThat(a.rows()).extracting(r -> r.get(1) + " " + r.get(2) + " " + r.get(5) + " " + r.get(6) + " | "
                + r.get(7) + " " + r.get(9)).containsExactly(
                "alice prod/dev/pods 2 keep: in use | keep carol",
                "bob prod/dev/configmaps 1 revoke: unused for 30+ days |  ",
                "root prod/prod/pods 1 review: break-glass use |  ");
        assertThat(a.rows()).extracting(r -> Long.parseLong(r.get(0))).containsExactly((long) alice2, (long) bobOld,
                (long) root);
        assertThat(a.rows().get(0).get(3)).isEqualTo("oidc");
        assertThat(a.rows().get(2).get(3)).isEqualTo("static-token (break-glass)");
        assertThat(alice1).isLessThan(alice2);
        assertThatThrownBy(() -> KnownLog.runner(logDir, null).run(KnownLog.day("recertification", Map.of())))
                .hasMessageContaining("campaign is required");
    }
}
