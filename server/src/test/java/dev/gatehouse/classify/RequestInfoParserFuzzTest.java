package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.status.GatewayException;

/**
 * The classifier against an independent model of the apiserver ({@link ApiServerReading}): for every method, path
 * and query the gateway accepts, the apiserver would read the same verb, group, version, namespace, resource,
 * subresource and name; everything else is refused with 400 (405 for a method the apiserver has no verb for). Paths
 * and queries are built from the words that steer classification, so the fuzzer reaches every branch quickly.
 * Jazzer fuzzes one target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for
 * a few seconds ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a
 * target are kept under src/test/resources and replayed in every run.
 */
class RequestInfoParserFuzzTest {
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "get", "CONNECT");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> SEGMENTS = List.of("api", "apis", "v1", "apps", "namespaces", "default",
            "watch", "proxy", "pods", "secrets", "exec", "attach", "portforward", "log", "status", "finalize", "web-1",
            "", ".", "..", "%2F", ";x", "a:b", "~");
    private static final List<String> KEYS = List.of("watch", "fieldSelector", "follow", "resourceVersion", "pretty",
            "w%61tch", "watch%3D", "field+Selector");
    private static final List<String> VALUES = List.of("true", "false", "1", "0", "", "FALSE", "True", "yes", "f",
            "F", "t", "metadata.name=web-1", "metadata.name%3Dweb-1", "metadata.name%3D%3Dweb-1", "metadata.name!%3Dweb-1",
            "metadata.name%3Da%2Cb", "metadata.name%3Da%5C%2Cb", "+metadata.name%3Dx", "metadata.name%3D+x",
            "metadata.name%3D%FF", "metadata.name%3D%+1", "%-0", "%", "%zz", "spec.nodeName%3Dn,metadata.name%3Dy",
            "metadata.name%3D.", "metadata.name%3D..", "metadata.name%3Da%2Fb");

    @FuzzTest(maxDuration = "5s")
    void classifiesAsTheApiserverDoesOrRefuses(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String path = path(data);
        String query = query(data);
        ApiServerReading.Info expected = ApiServerReading.requestInfo(method, path, query);
        RequestInfo info;
        try {
            PathGuard.check(path);
            info = new RequestInfoParser().parse("c1", method, path, Query.parse(query));
        } catch (GatewayException refused) {
            int code = refused.status().code();
            assertThat(code == 400 || code == 405 && !KNOWN_METHODS.contains(method))
                    .as("%s %s?%s refused with %s", method, path, query, refused.status()).isTrue();
            return;
        }
        assertThat(ApiServerReading.Info.of(info)).as("%s %s?%s", method, path, query).isEqualTo(expected);
        assertThat(info.path()).isEqualTo(path);
    }

    private static String path(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder();
        int n = data.consumeInt(0, 9);
        for (int i = 0; i < n; i++) {
            b.append('/').append(data.consumeBoolean() ? data.pickValue(SEGMENTS) : data.consumeAsciiString(8));
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    private static String query(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(data.consumeBoolean() ? "&" : data.pickValue(List.of("&&", ";", "&=")));
            }
            b.append(data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeAsciiString(6));
            if (data.consumeBoolean()) {
                b.append('=').append(data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeAsciiString(24));
            }
        }
        return b.toString();
    }
}
