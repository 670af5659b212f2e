package dev.gatehouse.report.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.audit.AuditEvent;

/** How the answers name what a request touched: a resource and its object, or the path of one that names none. */
class EventsTest {
    private static AuditEvent.Gatehouse in(String cluster) {
        return new AuditEvent.Gatehouse("request", null, cluster, "allow", null, null, null, null, null, null,
                Map.of());
    }

    @Test
    void aRequestWithoutAResourceIsNamedByItsPathWithoutTheQuery() {
        AuditEvent discovery = AuditEvent.builder().auditID("a").verb("get").requestURI("/apis/apps/v1?timeout=32s")
                .gatehouse(in("prod")).build();
        assertThat(Events.resourcePath(discovery)).isEqualTo("/apis/apps/v1");
        assertThat(Events.object(discovery)).isEqualTo("prod/apis/apps/v1");
        assertThat(Recertification.resource(discovery)).isEqualTo("prod/apis/apps/v1");
    }

    @Test
    void aResourceRequestIsNamedByResourceSubresourceAndObject() {
        AuditEvent exec = AuditEvent.builder().auditID("b").verb("create")
                .requestURI("/api/v1/namespaces/dev/pods/web/exec?command=sh")
                .objectRef(new AuditEvent.ObjectRef("pods", "dev", "web", null, "v1", "exec"))
                .gatehouse(in("prod")).build();
        assertThat(Events.resourcePath(exec)).isEqualTo("pods/exec");
        assertThat(Events.object(exec)).isEqualTo("prod/dev/pods/exec/web");
        assertThat(Recertification.resource(exec)).isEqualTo("prod/dev/pods/exec");
    }
}
