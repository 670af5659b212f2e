package dev.gatehouse.sandbox.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RequestLogTest {
    private static ReceivedRequest request(String path, Map<String, List<String>> headers) {
        return new ReceivedRequest(Instant.EPOCH, "GET", path, "", headers, 0, "HTTP/2");
    }

    @Test
    void keepsTheNewestRequestsUpToItsCapacity() {
        RequestLog log = new RequestLog(2);
        log.add(request("/a", Map.of()));
        log.add(request("/b", Map.of()));
        log.add(request("/c", Map.of()));
        assertThat(log.all()).extracting(ReceivedRequest::rawPath).containsExactly("/b", "/c");
        log.clear();
        assertThat(log.all()).isEmpty();
    }

    @Test
    void readsHeadersCaseInsensitivelyWithAllValues() {
        ReceivedRequest r = request("/x", Map.of("Impersonate-Group", List.of("a", "b"),
                "authorization", List.of("Bearer abc")));
        assertThat(r.headers("impersonate-group")).containsExactly("a", "b");
        assertThat(r.header("Authorization")).isEqualTo("Bearer abc");
        assertThat(r.hasHeader("Impersonate-User")).isFalse();
        assertThat(r.toString()).contains("Bearer <masked>").doesNotContain("abc");
    }
}
