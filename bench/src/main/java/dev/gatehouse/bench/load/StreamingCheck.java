package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.listen.PemTrust;

/**
 * Does the gateway stream? Pod logs far larger than its heap pass through a gateway JVM started with a small
 * heap and little direct memory, while its resident memory is sampled; a rate-limited log shows whether the
 * first bytes reach the client long before the upstream has finished; a slow reader shows that the gateway
 * holds the upstream back instead of queueing what it cannot deliver.
 */
final class StreamingCheck {
    /** One check's outcome; sizes in bytes, times in seconds, memory in KiB. */
    record Result(String check, int status, long bytes, double seconds, double firstByteSeconds, long rssBeforeKib,
                  long rssPeakKib) {
    }

    private final HttpClient client;

    StreamingCheck(Path caFile) throws Exception {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(PemTrust.sslContext(caFile)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Reads the pod's log from {@code base} (the gateway's cluster URL, or the upstream's for reference) at most
     * {@code bytesPerSecond} (0: as fast as it comes), sampling the resident memory of {@code pid} (-1: none).
     */
    Result fetch(String check, String base, long pid, String pod, long bytesPerSecond)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + String.format(Nginx.LOG_PATH, pod)))
                .header("Authorization", "Bearer " + Fixture.CLIENT_TOKEN).timeout(Duration.ofSeconds(120)).build();
        long rssBefore = ProcStat.rssKib(pid);
        AtomicLong peak = new AtomicLong(rssBefore);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (pid > 0) {
                    peak.accumulateAndGet(ProcStat.rssKib(pid), Math::max);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long firstByte = -1;
        long bytes = 0;
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (firstByte < 0 && n > 0) {
                    firstByte = System.nanoTime();
                }
                bytes += n;
                if (bytesPerSecond > 0) {
                    long due = start + bytes * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(check, response.statusCode(), bytes, seconds,
                firstByte < 0 ? Double.NaN : (firstByte - start) / 1e9, rssBefore, peak.get());
    }
}
