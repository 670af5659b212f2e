package dev.gatehouse.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void equalRequestsHaveEqualFingerprints() {
        assertThat(RequestFingerprint.of("alice", "prod", "DELETE", "/api/v1/namespaces/x", "", b("")))
                .isEqualTo(RequestFingerprint.of("alice", "prod", "DELETE", "/api/v1/namespaces/x", null, null))
                .hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void bytesShiftedBetweenFieldsDoNotCollide() {
        String a = RequestFingerprint.of("alice", "prod", "POST", "/a", "application/json", b("{}"));
        assertThat(RequestFingerprint.of("alicep", "rod", "POST", "/a", "application/json", b("{}"))).isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "POST", "/a", "application/json{", b("}"))).isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "POST", "/", "aapplication/json", b("{}"))).isNotEqualTo(a);
    }

    @Test
    void anyChangedFieldChangesTheFingerprint() {
        String a = RequestFingerprint.of("alice", "prod", "POST", "/a?x=1", "application/json", b("{\"n\":1}"));
        assertThat(RequestFingerprint.of("bob", "prod", "POST", "/a?x=1", "application/json", b("{\"n\":1}")))
                .isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "stage", "POST", "/a?x=1", "application/json", b("{\"n\":1}")))
                .isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "PUT", "/a?x=1", "application/json", b("{\"n\":1}")))
                .isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "POST", "/a?x=2", "application/json", b("{\"n\":1}")))
                .isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "POST", "/a?x=1", "application/yaml", b("{\"n\":1}")))
                .isNotEqualTo(a);
        assertThat(RequestFingerprint.of("alice", "prod", "POST", "/a?x=1", "application/json", b("{\"n\":2}")))
                .isNotEqualTo(a);
    }
}
