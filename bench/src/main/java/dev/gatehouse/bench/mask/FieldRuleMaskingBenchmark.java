package dev.gatehouse.bench.mask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.mask.MaskKey;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.mask.MaskingSettings;
import dev.gatehouse.mask.detect.DetectionSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * The field rules and the JSON detectors with the shipped settings, against the gateway before them (Secrets only) in
 * the same run: a 2 MB PodList (300 pods with env values, labels, annotations, status) relayed in 64 KiB chunks —
 * masked (rules and detectors), rules only, and as a bare Jackson parse + copy and a byte copy — and a NodeList, which
 * nothing masks, through the shipped choice (identity, as before). Run: {@code java -cp <bench classpath>
 * org.openjdk.jmh.Main FieldRuleMaskingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class FieldRuleMaskingBenchmark {
    private static final MaskKey KEY = MaskKey.of("benchmark-key-benchmark-key-0001".getBytes(StandardCharsets.US_ASCII));
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    final MaskingChoice shipped = new MaskingChoice(MaskingSettings.defaults(), () -> KEY);
    final MaskingChoice rulesOnly = new MaskingChoice(new MaskingSettings(null, false, null, null), () -> KEY);
    final MaskingChoice secretsOnly = new MaskingChoice(MaskingSettings.secretsOnly(DetectionSettings.defaults()),
            () -> KEY);
    final Exchange pods = exchange("pods");
    final Exchange nodes = exchange("nodes");
    final List<byte[]> podChunks = chunks(podList(300));
    final List<byte[]> nodeChunks = chunks(nodeList(100));

    static Exchange exchange(String resource) {
        Exchange exchange = new Exchange(new RequestHead("GET", "/clusters/c/api/v1/" + resource, "", HttpHeaders.headers(),
                "127.0.0.1", true));
        exchange.info(new RequestInfo("c", "/api/v1/" + resource, true, "list", "api", "", "v1", "", resource, "", ""));
        return exchange;
    }

    static String podList(int n) {
        StringBuilder b = new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":"
                + "\"92173137\"},\"items\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"metadata\":{\"name\":\"orders-7d4b9c-").append(i).append("\",\"namespace\":"
                    + "\"prod\",\"uid\":\"8676b326-906e-4a67-9efd-9ce2054a").append(String.format("%03d", i)).append("\","
                    + "\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d4b9c\"},\"annotations\":{\"checksum/config\":"
                    + "\"3f1c2b8e9d7a6f5e4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4\"}},\"spec\":{\"containers\":[{"
                    + "\"name\":\"app\",\"image\":\"registry.example.com/orders@sha256:9b2a6f1c3e5d7b9a1c3e5f7a9b1d3f5e7a9c1e3f5a7b9d1f3e5c7a9b1d3f5e7a\","
                    + "\"args\":[\"--port=8080\",\"--log-level=info\"],\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"pg-Pa55-")
                    .append(i).append("\"},{\"name\":\"MODE\",\"value\":\"production\"},{\"name\":\"TOKEN\",\"valueFrom\":{"
                    + "\"secretKeyRef\":{\"name\":\"orders\",\"key\":\"token\"}}}],\"resources\":{\"limits\":{\"cpu\":\"500m\","
                    + "\"memory\":\"256Mi\"}},\"volumeMounts\":[{\"name\":\"kube-api-access-x\",\"mountPath\":"
                    + "\"/var/run/secrets/kubernetes.io/serviceaccount\",\"readOnly\":true}]}],\"nodeName\":\"node-3\"},"
                    + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.3.17\",\"containerStatuses\":[{\"name\":\"app\","
                    + "\"ready\":true,\"restartCount\":0,\"containerID\":\"containerd://4f9e8d7c6b5a49382716f5e4d3c2b1a0"
                    + "9f8e7d6c5b4a39281706f5e4d3c2b1a0\",\"imageID\":\"registry.example.com/orders@sha256:9b2a6f1c3e5d7b9a1c3e"
                    + "5f7a9b1d3f5e7a9c1e3f5a7b9d1f3e5c7a9b1d3f5e7a\",\"started\":true}],\"startTime\":\"2026-12-01T10:00:00Z\"}}");
        }
        return b.append("]}").toString();
    }

    static String nodeList(int n) {
        StringBuilder b = new StringBuilder("{\"kind\":\"NodeList\",\"items\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"metadata\":{\"name\":\"node-").append(i).append("\",\"labels\":{"
                    + "\"kubernetes.io/hostname\":\"node\"}},\"status\":{\"capacity\":{\"cpu\":\"8\",\"memory\":\"32Gi\"},"
                    + "\"nodeInfo\":{\"kubeletVersion\":\"v1.31.2\",\"osImage\":\"Ubuntu 24.04\"}}}");
        }
        return b.append("]}").toString();
    }

    static List<byte[]> chunks(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 65536) {
            out.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 65536)));
        }
        return out;
    }

    static long relay(MaskingChoice choice, Exchange exchange, List<byte[]> chunks) {
        MultiMap headers = HttpHeaders.headers().add("Content-Type", "application/json");
        BodyTransform t = choice.of(exchange, 200, headers);
        long n = 0;
        for (byte[] chunk : chunks) {
            n += t.chunk(Buffer.buffer(chunk)).length();
        }
        return n + t.end().length();
    }

    @Benchmark
    public long podsShipped() {
        return relay(shipped, pods, podChunks);
    }

    @Benchmark
    public long podsRulesOnly() {
        return relay(rulesOnly, pods, podChunks);
    }

    @Benchmark
    public long podsBefore() {
        return relay(secretsOnly, pods, podChunks);
    }

    @Benchmark
    public long nodesShipped() {
        return relay(shipped, nodes, nodeChunks);
    }

    @Benchmark
    public long nodesBefore() {
        return relay(secretsOnly, nodes, nodeChunks);
    }

    @Benchmark
    public long podsJacksonCopy() throws IOException {
        JsonParser parser = FACTORY.createNonBlockingByteArrayParser();
        ByteArrayFeeder feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 21);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            for (byte[] chunk : podChunks) {
                feeder.feedInput(chunk, 0, chunk.length);
                JsonToken t;
                while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                    gen.copyCurrentEvent(parser);
                }
            }
            feeder.endOfInput();
            while (parser.nextToken() != null) {
                gen.copyCurrentEvent(parser);
            }
        }
        return out.size();
    }

    @Benchmark
    public long podsByteCopy() {
        Buffer out = Buffer.buffer(1 << 21);
        for (byte[] chunk : podChunks) {
            out.appendBytes(chunk);
        }
        return out.length();
    }
}
