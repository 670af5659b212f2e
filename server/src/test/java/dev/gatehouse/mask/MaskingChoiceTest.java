package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

class MaskingChoiceTest {
    static final String SECRET = SecretBodies.secret("s", Map.of("k", "hunter2-s3cret"), null).toString();
    final MaskingChoice choice = new MaskingChoice(MaskRules.SECRETS, () -> SecretBodies.KEY);

    static Exchange exchange(String method, String group, String resource, String verb) {
        Exchange exchange = new Exchange(new RequestHead(method, "/clusters/c/x", "", HttpHeaders.headers(),
                "127.0.0.1", true));
        exchange.info(new RequestInfo("c", "/x", true, verb, group.isEmpty() ? "api" : "apis", group, "v1",
                "payments", resource, "", ""));
        return exchange;
    }

    static Exchange secrets(String verb) {
        return exchange(verb.equals("create") ? "POST" : "GET", "", "secrets", verb);
    }

    static MultiMap headers(String... nameValues) {
        MultiMap headers = HttpHeaders.headers();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({",configmaps", ",pods", "apps,deployments", "example.com,secrets", ",namespaces"})
    void passesOtherResourcesUntouchedAndWithoutCopying(String group, String resource) {
        MultiMap headers = headers("Content-Type", "application/vnd.kubernetes.protobuf", "Content-Length", "9");
        BodyTransform transform = choice.of(exchange("GET", group == null ? "" : group, resource, "get"), 200, headers);

        Buffer chunk = Buffer.buffer("k8s\0secret");
        assertThat(transform).isSameAs(BodyTransform.IDENTITY);
        assertThat(transform.chunk(chunk)).isSameAs(chunk);
        assertThat(headers.get("Content-Length")).isEqualTo("9");
    }

    @Test
    void passesNonResourceRequestsUntouched() {
        Exchange exchange = new Exchange(new RequestHead("GET", "/clusters/c/version", "", HttpHeaders.headers(),
                "127.0.0.1", true));
        exchange.info(RequestInfo.nonResource("c", "/version", "get"));
        assertThat(choice.of(exchange, 200, headers("Content-Type", "text/plain"))).isSameAs(BodyTransform.IDENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"})
    void masksJsonSecretResponsesOfEveryVerb(String verb) {
        MultiMap headers = headers("Content-Type", "application/json", "Content-Length", "" + SECRET.length());
        BodyTransform transform = choice.of(secrets(verb), 200, headers);

        String out = transform.chunk(Buffer.buffer(SECRET)).appendBuffer(transform.end()).toString();
        assertThat(out).doesNotContain(SecretBodies.base64("hunter2-s3cret"));
        assertThat(headers.contains("Content-Length")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf;stream=watch",
            "application/yaml", "application/cbor", "text/plain", "application/octet-stream", "application/jsonx",
            "text/json"})
    void refusesMediaTypesItCannotMaskBeforeAnyByte(String type) {
        assertThatThrownBy(() -> choice.of(secrets("get"), 200, headers("Content-Type", type)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("cannot mask").contains("secrets");
                });
    }

    @Test
    void refusesAnEncodingItCannotInflate() {
        assertThatThrownBy(() -> choice.of(secrets("get"), 200,
                headers("Content-Type", "application/json", "Content-Encoding", "br")))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Content-Encoding br");
    }

    @Test
    void refusesAProtobufErrorToo() {
        assertThatThrownBy(() -> choice.of(secrets("get"), 500,
                headers("Content-Type", "application/vnd.kubernetes.protobuf")))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void masksJsonErrorsAndUntypedBodies() {
        String status = "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404}";
        BodyTransform error = choice.of(secrets("get"), 404, headers("Content-Type", "application/json"));
        assertThat(error.chunk(Buffer.buffer(status)).appendBuffer(error.end()).toString()).isEqualTo(status);

        BodyTransform untyped = choice.of(secrets("get"), 200, headers());
        assertThat(untyped).isInstanceOf(JsonMasker.class);
        assertThatThrownBy(() -> untyped.chunk(Buffer.buffer("k8s\0\n"))).isInstanceOf(MaskingException.class);
    }

    @Test
    void passesBodilessAnswers() {
        assertThat(choice.of(secrets("get"), 304, headers("Content-Type", "application/yaml")))
                .isSameAs(BodyTransform.IDENTITY);
        assertThat(choice.of(exchange("HEAD", "", "secrets", "get"), 200, headers()))
                .isSameAs(BodyTransform.IDENTITY);
    }

    @Test
    void inflatesMasksAndSendsGzipBodiesIdentityEncoded() throws IOException {
        String list = SecretBodies.list(JsonMaskerTest.someSecrets()).toString();
        byte[] gzipped = gzip(list.getBytes(StandardCharsets.UTF_8));
        MultiMap headers = headers("Content-Type", "application/json", "Content-Encoding", "gzip",
                "Content-Length", "" + gzipped.length);
        BodyTransform transform = choice.of(secrets("list"), 200, headers);

        Buffer out = Buffer.buffer();
        for (int i = 0; i < gzipped.length; i += 100) {
            out.appendBuffer(transform.chunk(Buffer.buffer(Arrays.copyOfRange(gzipped, i,
                    Math.min(gzipped.length, i + 100)))));
        }
        out.appendBuffer(transform.end());

        assertThat(headers.contains("Content-Encoding")).isFalse();
        assertThat(headers.contains("Content-Length")).isFalse();
        JsonMaskerTest.assertNoLeak(out.getBytes());
        assertThat(JsonMaskerTest.normalized(SecretBodies.roots(out.getBytes()).get(0))).isEqualTo(
                JsonMaskerTest.normalized(SecretBodies.expected(SecretBodies.roots(list.getBytes(
                        StandardCharsets.UTF_8)).get(0))));
    }

    @Test
    void refusesCorruptOrCutOffGzip() throws IOException {
        byte[] gzipped = gzip(SECRET.getBytes(StandardCharsets.UTF_8));
        BodyTransform cut = choice.of(secrets("get"), 200,
                headers("Content-Type", "application/json", "Content-Encoding", "gzip"));
        cut.chunk(Buffer.buffer(Arrays.copyOf(gzipped, gzipped.length - 10)));
        assertThatThrownBy(cut::end).isInstanceOf(MaskingException.class);

        byte[] corrupt = gzipped.clone();
        corrupt[corrupt.length - 6] ^= 0x55; // the CRC
        BodyTransform bad = choice.of(secrets("get"), 200,
                headers("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThatThrownBy(() -> {
            bad.chunk(Buffer.buffer(corrupt));
            bad.end();
        }).isInstanceOf(MaskingException.class);

        BodyTransform notGzip = choice.of(secrets("get"), 200,
                headers("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThatThrownBy(() -> {
            notGzip.chunk(Buffer.buffer(SECRET));
            notGzip.end();
        }).isInstanceOf(MaskingException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
                    + "application/json|application/json;as=Table;v=v1;g=meta.k8s.io,"
                    + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
            "application/vnd.kubernetes.protobuf,application/json|application/json",
            "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/yaml|application/json",
            "application/json, */*|application/json",
            "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io|"
                    + "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"})
    void asksTheClusterForJsonOnMaskedPaths(String accept, String expected) {
        MultiMap headers = headers("Accept", accept, "Accept-Encoding", "gzip");
        MaskingChoice.upstreamAccept(secrets("list"), headers);
        assertThat(headers.get("Accept")).isEqualTo(expected);
        assertThat(headers.get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void leavesTheAcceptOfOtherRequestsAlone() {
        MultiMap headers = headers("Accept", "application/vnd.kubernetes.protobuf", "Accept-Encoding", "gzip");
        MaskingChoice.upstreamAccept(exchange("GET", "", "configmaps", "list"), headers);
        assertThat(headers.get("Accept")).isEqualTo("application/vnd.kubernetes.protobuf");
        assertThat(headers.get("Accept-Encoding")).isEqualTo("gzip");
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static Exchange podLog() {
        Exchange exchange = new Exchange(new RequestHead("GET", "/clusters/c/api/v1/namespaces/p/pods/web-0/log", "",
                HttpHeaders.headers(), "127.0.0.1", true));
        exchange.info(new RequestInfo("c", "/api/v1/namespaces/p/pods/web-0/log", true, "get", "api", "", "v1", "p",
                "pods", "log", "web-0"));
        return exchange;
    }

    @Test
    void masksKeysInPodLogsWhateverTheContentType() {
        MultiMap headers = headers("Content-Type", "text/plain", "Content-Length", "80");
        BodyTransform transform = choice.of(podLog(), 200, headers);

        String first = transform.chunk(Buffer.buffer("started\nusing AKIAZ7QXJ4N2")).toString();
        String rest = transform.chunk(Buffer.buffer("KD5WLM3P\n")).toString() + transform.end();

        assertThat(first).isEqualTo("started\nusing ");
        assertThat(rest).isEqualTo(Fingerprints.of(SecretBodies.KEY,
                "AKIAZ7QXJ4N2KD5WLM3P".getBytes(StandardCharsets.US_ASCII)) + "\n");
        assertThat(headers.contains("Content-Length")).isFalse();
    }

    @Test
    void refusesCompressedPodLogsItCannotMask() {
        assertThatThrownBy(() -> choice.of(podLog(), 200, headers("Content-Type", "text/plain",
                "Content-Encoding", "br")))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Content-Encoding br (expected: identity)");
    }

    @Test
    void leavesPodLogsAloneWhenDetectionIsOff() {
        MaskingChoice off = new MaskingChoice(MaskRules.SECRETS, () -> SecretBodies.KEY,
                dev.gatehouse.mask.detect.DetectionSettings.off());

        assertThat(off.of(podLog(), 200, headers("Content-Type", "text/plain"))).isSameAs(BodyTransform.IDENTITY);
        assertThat(off.sessionMasker()).isNull();
    }

    @Test
    void asksForIdentityEncodedPodLogsAndKeepsTheirAccept() {
        MultiMap headers = headers("Accept", "*/*", "Accept-Encoding", "gzip");

        MaskingChoice.upstreamAccept(podLog(), headers);

        assertThat(headers.get("Accept")).isEqualTo("*/*");
        assertThat(headers.get("Accept-Encoding")).isEqualTo("identity");
    }
}
