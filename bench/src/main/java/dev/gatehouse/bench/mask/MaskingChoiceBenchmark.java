package dev.gatehouse.bench.mask;

import java.nio.charset.StandardCharsets;
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

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.mask.MaskKey;
import dev.gatehouse.mask.MaskRules;
import dev.gatehouse.mask.MaskingChoice;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * What masking adds to a request it does not mask ({@code list pods}): the transform choice against the choice the
 * forwarder made before masking ({@link BodyTransform.Choice#NONE}), and the request-side Accept check.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main MaskingChoiceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class MaskingChoiceBenchmark {
    final MaskingChoice masking = new MaskingChoice(MaskRules.SECRETS,
            () -> MaskKey.of("benchmark-key-benchmark-key-0001".getBytes(StandardCharsets.US_ASCII)));
    final Exchange pods = exchange();
    final MultiMap headers = HttpHeaders.headers().add("Content-Type", "application/vnd.kubernetes.protobuf")
            .add("Content-Length", "48213");
    final MultiMap request = HttpHeaders.headers().add("Accept", "application/vnd.kubernetes.protobuf,application/json")
            .add("Accept-Encoding", "gzip");

    static Exchange exchange() {
        Exchange exchange = new Exchange(new RequestHead("GET", "/clusters/c/api/v1/namespaces/dev/pods", "limit=500",
                HttpHeaders.headers(), "127.0.0.1", true));
        exchange.info(new RequestInfo("c", "/api/v1/namespaces/dev/pods", true, "list", "api", "", "v1", "dev",
                "pods", "", ""));
        return exchange;
    }

    @Benchmark
    public BodyTransform noneChoice() {
        return BodyTransform.Choice.NONE.of(pods, 200, headers);
    }

    @Benchmark
    public BodyTransform maskingChoice() {
        return masking.of(pods, 200, headers);
    }

    @Benchmark
    public MultiMap upstreamAccept() {
        MaskingChoice.upstreamAccept(pods, request);
        return request;
    }

}
