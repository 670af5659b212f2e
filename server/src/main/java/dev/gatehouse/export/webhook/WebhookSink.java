package dev.gatehouse.export.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.gatehouse.export.ExportRecord;
import dev.gatehouse.export.ExportSink;

/**
 * POSTs each batch to a URL and counts it delivered on a 2xx answer; anything else (or no answer within the
 * timeout) is retried by the exporter. The token is sent as {@code Authorization: Splunk <token>} in HEC mode,
 * {@code Bearer <token>} otherwise, and never logged.
 */
public final class WebhookSink implements ExportSink {
    private final URI url;
    private final WebhookBody body;
    private final String token;
    private final String host;
    private final Duration timeout;
    private final HttpClient client;

    public WebhookSink(URI url, WebhookBody body, String token, String host, Duration timeout, SSLContext tls) {
        this.url = url;
        this.body = body;
        this.token = token;
        this.host = host;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
    }

    @Override
    public void deliver(List<ExportRecord> batch) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.encode(batch, host)));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", (body == WebhookBody.SPLUNK_HEC ? "Splunk " : "Bearer ") + token);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body();
            throw new IOException(url + " answered " + response.statusCode() + ": "
                    + text.substring(0, Math.min(200, text.length())));
        }
    }

    @Override
    public String describe() {
        return "webhook " + body.name().toLowerCase() + " " + url;
    }

    @Override
    public void close() {
        client.close();
    }
}
