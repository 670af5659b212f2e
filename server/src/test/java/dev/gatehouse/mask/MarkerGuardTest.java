package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

class MarkerGuardTest {
    private static final String MARKER = "gatehouse:masked:hmac-sha256:29748b1a:kkhKPoaCM_PfkSm0AGeF9w";
    private static final String ENCODED = Base64.getEncoder().encodeToString(MARKER.getBytes(StandardCharsets.UTF_8));

    private static Exchange exchange(String verb, String group, String resource, String body, AtomicInteger reads) {
        Exchange exchange = new Exchange("id", new RequestHead("PUT", "/api/v1/namespaces/dev/secrets/db", "",
                HttpHeaders.headers(), "127.0.0.1", true), Instant.now(), System.nanoTime());
        exchange.identity(new Identity("alice", "", List.of(), "t", AuthenticationMethod.STATIC_TOKEN, List.of(),
                Map.of(), "fp", null));
        String[] parts = resource.split("/", 2);
        exchange.info(new RequestInfo("sandbox", "/x", true, verb, group.isEmpty() ? "api" : "apis", group, "v1",
                "dev", parts[0], parts.length > 1 ? parts[1] : "", "db"));
        exchange.bodyReader(max -> {
            reads.incrementAndGet();
            return Future.succeededFuture(Buffer.buffer(body));
        });
        return exchange;
    }

    @ParameterizedTest(name = "{0} {2}: {4}")
    @CsvSource(delimiter = '|', value = {
            "update | '' | secrets | data base64 | refused",
            "create | '' | secrets | stringData plain | refused",
            "patch  | '' | secrets | data base64 | refused",
            "update | '' | secrets | real values | passes",
            "update | '' | configmaps | data base64 | untouched",
            "get    | '' | secrets | data base64 | untouched",
            "update | example.com | secrets | data base64 | untouched"})
    void refusesSecretWritesThatCarryMarkers(String verb, String group, String resource, String body, String outcome) {
        String content = switch (body) {
            case "data base64" -> "{\"data\":{\"password\":\"" + ENCODED + "\"}}";
            case "stringData plain" -> "{\"stringData\":{\"password\":\"" + MARKER + "\"}}";
            default -> "{\"data\":{\"password\":\"cmVhbA==\"}}";
        };
        AtomicInteger reads = new AtomicInteger();
        Future<Void> result = new MarkerGuard().apply(exchange(verb, group, resource, content, reads));
        switch (outcome) {
            case "refused" -> {
                assertThat(result.failed()).isTrue();
                assertThat(((GatewayException) result.cause()).status().code()).isEqualTo(400);
                assertThat(result.cause().getMessage()).contains("masked by Gatehouse").doesNotContain(MARKER);
            }
            case "passes" -> {
                assertThat(result.succeeded()).isTrue();
                assertThat(reads).hasValue(1);
            }
            default -> {
                assertThat(result.succeeded()).isTrue();
                assertThat(reads).as("the body streams").hasValue(0);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}/{2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "update | apps        | deployments | marker | refused",
            "patch  | ''          | configmaps  | marker | refused",
            "create | ''          | pods        | marker | refused",
            "update | apps        | deployments | values | passes",
            "update | ''          | services    | marker | untouched",
            "create | ''          | pods/exec   | marker | untouched",
            "create | ''          | pods/eviction | marker | untouched",
            "get    | apps        | deployments | marker | untouched"})
    void withTheFieldRulesAndDetectorsGuardsEveryResourceTheyMask(String verb, String group, String resource,
                                                                  String body, String outcome) {
        String content = body.equals("marker")
                ? "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"env\":[{\"name\":\"A\",\"value\":\""
                        + MARKER + "\"}]}]}}}}"
                : "{\"spec\":{\"replicas\":2}}";
        AtomicInteger reads = new AtomicInteger();
        Future<Void> result = new MarkerGuard(MaskingSettings.defaults())
                .apply(exchange(verb, group, resource, content, reads));
        switch (outcome) {
            case "refused" -> {
                assertThat(result.failed()).isTrue();
                assertThat(((GatewayException) result.cause()).status().code()).isEqualTo(400);
                assertThat(result.cause().getMessage()).contains("of " + resource + " \"db\"")
                        .contains("masked by Gatehouse");
            }
            case "passes" -> {
                assertThat(result.succeeded()).isTrue();
                assertThat(reads).hasValue(1);
            }
            default -> {
                assertThat(result.succeeded()).isTrue();
                assertThat(reads).as("the body streams").hasValue(0);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void findsAMarkerInAProtobufBody() {
        byte[] proto = new byte[] {'k', '8', 's', 0, 0x0a, 0x02, 'v', '1'};
        String body = new String(proto, StandardCharsets.ISO_8859_1) + "\u0012\u003c" + MARKER;
        AtomicInteger reads = new AtomicInteger();
        assertThat(new MarkerGuard().apply(exchange("create", "", "secrets", body, reads)).failed()).isTrue();
    }
}
