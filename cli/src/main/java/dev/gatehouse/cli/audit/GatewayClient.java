package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.listen.PemTrust;

/**
 * Calls the gateway's audit API ({@code /gatehouse/v1/audit/...}) with a bearer token over TLS that trusts exactly
 * the given CA (or the system's roots). A refusal becomes an {@link IOException} carrying the Status message.
 */
public final class GatewayClient {
    static final String API = "/gatehouse/v1/audit/";

    private final URI server;
    private final HttpClient http;
    private final String token;

    GatewayClient(URI server, Path caFile, String token) throws IOException {
        this.server = server;
        this.token = token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        this.http = builder.build();
    }

    /** GETs {@code resource} with {@code params}; the body as text. */
    public String text(String resource, Map<String, String> params) throws IOException {
        try (InputStream body = stream(resource, params)) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** POSTs to {@code resource} with no body (an action, such as keys/rotate); the answer as text. */
    public String post(String resource) throws IOException {
        try (InputStream body = send(API + resource, Map.of(), "", Duration.ofMinutes(10))) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** GETs {@code resource} with {@code params}; the body as a stream (for exports), to be closed. */
    public InputStream stream(String resource, Map<String, String> params) throws IOException {
        return send(API + resource, params, null, Duration.ofMinutes(10));
    }

    /** GETs {@code path}, one of the gateway's API paths ({@code /gatehouse/v1/reviews}), with {@code params}. */
    public String get(String path, Map<String, String> params) throws IOException {
        try (InputStream body = send(path, params, null, Duration.ofSeconds(30))) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** POSTs {@code json} to {@code path}, one of the gateway's API paths; the answer as text. */
    public String postJson(String path, String json) throws IOException {
        try (InputStream body = send(path, Map.of(), json, Duration.ofSeconds(30))) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The gateway this client asks. */
    public URI server() {
        return server;
    }

    /** GET without a body, POST with {@code json} (or with none, for an empty string). */
    private InputStream send(String path, Map<String, String> params, String json, Duration timeout)
            throws IOException {
        String query = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = server.resolve(path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("User-Agent", "gatehouse-cli");
        if (json != null && !json.isEmpty()) {
            builder.header("Content-Type", "application/json");
        }
        HttpRequest request = builder.method(json == null ? "GET" : "POST", json == null || json.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + server);
        } catch (IOException e) {
            throw new IOException("cannot reach " + server + ": " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()));
        }
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        throw new IOException(server + " answered " + response.statusCode() + ": " + statusMessage(body)
                + response.headers().firstValue("Audit-ID").map(id -> " (request " + id + ")").orElse(""));
    }

    private static String statusMessage(String body) {
        try {
            JsonNode status = AuditEventJson.mapper().readTree(body);
            if (status != null && status.hasNonNull("message")) {
                return status.get("message").asText();
            }
        } catch (IOException ignored) {
            // not a Status: show the start of what came back
        }
        String line = body.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try {
            List<Certificate> cas = PemTrust.certificates(caFile);
            if (cas.isEmpty()) {
                throw new IOException(caFile + ": no certificate in the file");
            }
            return PemTrust.sslContext(cas);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no CA file at " + caFile + " (--certificate-authority)");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA file " + caFile + ": " + e.getMessage());
        }
    }
}
