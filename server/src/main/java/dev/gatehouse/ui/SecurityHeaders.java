package dev.gatehouse.ui;

import io.vertx.core.http.HttpServerResponse;

/**
 * The headers every UI response carries: a strict Content-Security-Policy (only the gateway's own scripts, styles,
 * images and connections; no inline script, no eval; WebAssembly compilation for the vendored session player;
 * never framed; forms only to itself), the same refusal of framing for old browsers, no MIME sniffing, no referrer,
 * no caching of pages or data.
 */
final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private SecurityHeaders() {
    }

    static void apply(HttpServerResponse response, boolean cacheable) {
        response.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin")
                .putHeader("Cross-Origin-Resource-Policy", "same-origin")
                .putHeader("Strict-Transport-Security", "max-age=31536000")
                .putHeader("Cache-Control", cacheable ? "private, max-age=300" : "no-store");
    }
}
