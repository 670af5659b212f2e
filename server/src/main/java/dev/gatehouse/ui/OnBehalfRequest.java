package dev.gatehouse.ui;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * A browser's request to {@code /ui/api/<path>} as the gateway's API at {@code /gatehouse/<path>} sees it: the same
 * request (body, response, connection, client address) with the path moved under {@code /gatehouse/}, the
 * browser's cookies taken away and the signed-in person's verified ID token as its only {@code Authorization}. The
 * API then authenticates, authorizes and records the call exactly as it does the CLI's.
 */
final class OnBehalfRequest extends HttpServerRequestWrapper {
    private final String path;
    private final String uri;
    private final MultiMap headers;

    OnBehalfRequest(HttpServerRequest browser, String apiPath, String idToken) {
        super((HttpServerRequestInternal) browser);
        this.path = apiPath;
        String query = browser.query();
        this.uri = query == null || query.isEmpty() ? apiPath : apiPath + "?" + query;
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        copy.addAll(browser.headers());
        copy.remove("Cookie");
        copy.remove("Authorization");
        copy.remove(UiEndpoint.CSRF_HEADER);
        copy.set("Authorization", "Bearer " + idToken);
        this.headers = copy;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public MultiMap headers() {
        return headers;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public String getHeader(CharSequence name) {
        return headers.get(name);
    }
}
