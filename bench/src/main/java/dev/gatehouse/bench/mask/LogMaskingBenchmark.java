package dev.gatehouse.bench.mask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKey;
import dev.gatehouse.mask.detect.TextMasker;

/**
 * What the built-in detectors cost one core on pod logs, 16 MB relayed in 64 KiB chunks as the forwarder receives
 * them: {@code ordinary} logs (nginx, JSON and logfmt lines with timestamps, UUID request ids, 32-hex trace ids and
 * image digests, no secrets) and {@code dense} logs (every fourth line carries a key, a token, a JWT or a password in a
 * URL), each against a plain byte copy in the same run. MB/s = 16.8 / (seconds per operation).
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main LogMaskingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class LogMaskingBenchmark {
    static final int BODY = 16 * 1024 * 1024;
    static final int CHUNK = 64 * 1024;
    static final String[] SECRETS = {"aws key AKIAZ7QXJ4N2KD5WLM3P in use",
            "Authorization: Bearer sk9Q2w7E4r1T8y5U3i6O0p2A9s7D",
            "token=ghp_Zx8Rt5Kq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeI",
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
            "dsn postgres://app:s3cr3t-P4ssw0rd@db:5432/orders",
            "api_key: Yq8zT3vLm2Nc9Xw5Rb7Kd1Gh4Fj6Sp0QaE2uI8oZ"};

    @Param({"ordinary", "dense"})
    public String logs;

    List<byte[]> chunks;
    MaskKey key;

    @Setup
    public void setUp() {
        key = MaskKey.of("benchmark-key-benchmark-key-0001".getBytes(StandardCharsets.US_ASCII));
        byte[] body = logs(BODY, logs.equals("dense"));
        chunks = new ArrayList<>();
        for (int at = 0; at < body.length; at += CHUNK) {
            chunks.add(java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + CHUNK)));
        }
    }

    static byte[] logs(int size, boolean dense) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(size + 1024);
        for (int i = 0; text.length() < size; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            String line = switch (i % 3) {
                case 0 -> "10.244.3." + (i % 250) + " - - [03/Nov/2026:08:00:" + (i % 60) + " +0000] \"GET /api/v1/orders/"
                        + i + " HTTP/1.1\" 200 " + (i * 7 % 9000) + " \"-\" \"Go-http-client/1.1\" request_id=" + id;
                case 1 -> "{\"level\":\"info\",\"ts\":\"2026-11-03T08:00:00.123Z\",\"msg\":\"request served\",\"request_id\":\""
                        + id + "\",\"traceID\":\"" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                        + "\",\"duration\":\"" + (i % 900) + "ms\"}";
                default -> "time=\"2026-11-03T08:00:00Z\" level=info msg=\"pulled image\" ref=ghcr.io/example/app@sha256:"
                        + Long.toHexString(random.nextLong()).repeat(4) + " reconcileID=\"" + id + "\"";
            };
            text.append(line);
            if (dense && i % 4 == 0) {
                text.append(' ').append(SECRETS[i / 4 % SECRETS.length]);
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public long mask() {
        TextMasker masker = new TextMasker(Fingerprints.with(key));
        long out = 0;
        for (byte[] chunk : chunks) {
            out += masker.mask(chunk).length;
        }
        return out + masker.finish().length;
    }

    @Benchmark
    public long byteCopy() {
        long out = 0;
        for (byte[] chunk : chunks) {
            out += chunk.clone().length;
        }
        return out;
    }
}
