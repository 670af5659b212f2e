package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.review.notify.ReviewNotice.Kind;

class WebhookTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.slack.com/services/T0/B0/secret", "http://127.0.0.1:8080/hook",
            "http://127.255.0.1/hook", "http://localhost:9/x", "http://[::1]:9/x", "https://10.0.0.1/x"})
    void acceptsHttpsAndLoopbackHttp(String url) {
        assertThat(WebhookTarget.of("t", url, WebhookFormat.JSON).url().toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/services/T0/B0/secret", "http://127.0.0.1.nip.io/x",
            "http://localhost.evil.example/x", "http://10.0.0.1/x", "http://0x7f000001/x",
            "http://2130706433/x", "http://[::ffff:8.8.8.8]/x"})
    void refusesPlainHttpToAHostThatIsNotLoopback(String url) {
        assertThatThrownBy(() -> WebhookTarget.of("chat", url, WebhookFormat.SLACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reviews.notify[chat].url: http://")
                .hasMessageContaining("is plain http to a host that is not loopback (expected: https, or http only "
                        + "to 127.0.0.1, ::1 or localhost)")
                .message().doesNotContain("secret", "/services");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "/relative/path",
            "https:///nohost", "https://user:pass@hooks.example/x", "https://hooks.example/x#frag", "http://127.0.0.1evil/x"})
    void refusesOtherSchemesUserInfoAndFragments(String url) {
        assertThatThrownBy(() -> WebhookTarget.of("t", url, WebhookFormat.JSON))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reviews.notify[t].url")
                .message().doesNotContain("pass");
    }

    @Test
    void toStringAndMessagesNeverShowThePathWhichMayBeTheSecret() {
        WebhookTarget t = WebhookTarget.of("chat", "https://hooks.slack.com/services/T0/B0/s3cr3t", WebhookFormat.SLACK);

        assertThat(t.toString()).isEqualTo("WebhookTarget[chat slack https://hooks.slack.com/…]");
        assertThat(t.redactedUrl()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "a b", "a/b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a\nb"})
    void refusesBadNames(String name) {
        assertThatThrownBy(() -> WebhookTarget.of(name, "https://h/x", WebhookFormat.JSON))
                .hasMessageStartingWith("reviews.notify[].name: '");
    }

    @Test
    void eventsDefaultToAll() {
        WebhookTarget all = WebhookTarget.of("t", "https://h/x", WebhookFormat.JSON);
        WebhookTarget some = new WebhookTarget("t", all.url(), WebhookFormat.JSON, null, List.of(),
                Set.of(Kind.CREATED));

        assertThat(all.wants(Kind.GRANT_REVOKED)).isTrue();
        assertThat(some.wants(Kind.CREATED)).isTrue();
        assertThat(some.wants(Kind.APPROVED)).isFalse();
    }

    @Test
    void caFileOnlyWithHttpsAndReadable(@TempDir Path dir) {
        var url = WebhookTarget.parse("k", "http://127.0.0.1/x");
        assertThatThrownBy(() -> new WebhookTarget("t", url, WebhookFormat.JSON, dir.resolve("ca.pem"), List.of(),
                Set.of())).hasMessage("reviews.notify[t].caFile: set for http://127.0.0.1/… (expected: only with an "
                + "https url)");
        var https = WebhookTarget.parse("k", "https://h/x");
        assertThatThrownBy(() -> new WebhookTarget("t", https, WebhookFormat.JSON, dir.resolve("missing.pem"),
                List.of(), Set.of())).hasMessageContaining("missing.pem (expected: a readable PEM file)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Content-Type", "Transfer-Encoding", "Connection"})
    void refusesHeadersTheClientSets(String name) {
        assertThatThrownBy(() -> WebhookHeader.of(name, "x")).hasMessageContaining("set by the gateway itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\r\nX-Injected: 1", "x\ny", "x\u0000"})
    void refusesInlineValuesThatWouldSplitTheRequest(String value) {
        assertThatThrownBy(() -> WebhookHeader.of("X-Token", value))
                .hasMessage("headers.X-Token: the value holds a line break or control character (expected: one line "
                        + "of text)");
    }

    @Test
    void headerToStringNeverShowsTheValue(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "Bearer hunter2\n");

        assertThat(WebhookHeader.of("X-Token", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(WebhookHeader.fromFile("Authorization", token).toString()).doesNotContain("hunter2");
    }

    @Test
    void headerFilesMustBeReadableAndNamesUnique(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "Bearer x");
        var url = WebhookTarget.parse("k", "https://h/x");

        assertThatThrownBy(() -> new WebhookTarget("t", url, WebhookFormat.JSON, null,
                List.of(WebhookHeader.fromFile("Authorization", dir.resolve("nope"))), Set.of()))
                .hasMessageContaining("reviews.notify[t].headers.Authorization.file: ")
                .hasMessageContaining("(expected: a readable file)");
        assertThatThrownBy(() -> new WebhookTarget("t", url, WebhookFormat.JSON, null,
                List.of(WebhookHeader.fromFile("Authorization", token), WebhookHeader.of("authorization", "y")),
                Set.of())).hasMessage("reviews.notify[t].headers.authorization: given twice (expected: once)");
    }

    @Test
    void unknownEventAndFormatNamesAreRefused() {
        assertThat(Kind.fromWireName("grant-revoked")).isEqualTo(Kind.GRANT_REVOKED);
        assertThatThrownBy(() -> Kind.fromWireName("deleted")).hasMessageStartingWith("event: 'deleted' (expected");
        assertThatThrownBy(() -> WebhookFormat.fromWireName("teams"))
                .hasMessage("format: 'teams' (expected: slack or json)");
    }
}
