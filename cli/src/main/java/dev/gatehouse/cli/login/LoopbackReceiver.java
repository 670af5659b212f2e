package dev.gatehouse.cli.login;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpServer;

/**
 * The loopback redirect of RFC 8252: a one-shot HTTP listener on {@code 127.0.0.1} that receives the
 * authorization code and checks {@code state}.
 */
final class LoopbackReceiver implements AutoCloseable {
    private final HttpServer server;
    private final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();

    LoopbackReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        } catch (IOException e) {
            throw new LoginException("cannot listen on 127.0.0.1:" + port + " for the login redirect: " + e.getMessage());
        }
        server.createContext("/callback", exchange -> {
            Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
            boolean ok = params.containsKey("code");
            byte[] page = (ok ? "Signed in. You can close this tab and return to the terminal."
                    : "Sign-in failed: " + params.getOrDefault("error", "no code")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(ok ? 200 : 400, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            result.complete(params);
        });
        server.start();
    }

    String redirectUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** Waits for the redirect and returns the code, checking {@code state}. */
    String awaitCode(String state, Duration timeout) {
        Map<String, String> params;
        try {
            params = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new LoginException("no sign-in within " + timeout.toMinutes() + " minutes");
        } catch (Exception e) {
            throw new LoginException("the login redirect failed: " + e.getMessage());
        }
        if (params.containsKey("error")) {
            throw new LoginException("the identity provider answered: " + params.get("error"));
        }
        if (!state.equals(params.get("state"))) {
            throw new LoginException("the login redirect carried the wrong state; refusing it");
        }
        return params.get("code");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
