package dev.gatehouse.ui;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.api.EvidenceRead;
import dev.gatehouse.api.EvidenceReadAudit;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.GatewayServer;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The reviewers' web UI under {@value #PREFIX}: pages, their static files, sign-in and sign-out, and
 * {@code /ui/api/v1/...}, which calls the gateway's own APIs ({@code /gatehouse/v1/reviews}, {@code audit},
 * {@code reports}) as the signed-in person. A page or API call without a live session goes to sign-in (401 for the
 * API); every POST must carry the session's CSRF token in {@value #CSRF_HEADER} (403 otherwise); every page viewed
 * is an evidence-read event, durable before the page is sent.
 */
public final class UiEndpoint {
    public static final String PREFIX = "/ui";
    static final String SESSION_COOKIE = "__Host-gatehouse-ui";
    static final String SIGN_IN_COOKIE = "__Host-gatehouse-signin";
    static final String CSRF_HEADER = "X-Gatehouse-CSRF";
    private static final Logger LOG = LoggerFactory.getLogger(UiEndpoint.class);
    /** The page paths and their files. */
    private static final Map<String, String> PAGES = Map.of("/ui/", "inbox", "/ui/search", "search",
            "/ui/session", "session", "/ui/verify", "verify", "/ui/reports", "reports");
    /** The APIs a page may call, under {@code /ui/api/}. */
    private static final Pattern API = Pattern.compile("/ui/api(/v1/(reviews|audit|reports)(/[A-Za-z0-9._-]+)*)");
    private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9a-fA-F:.]{2,45}\\](:[0-9]{1,5})?");

    private final UiSessions sessions;
    private final OidcSignIn signIn;
    private final EvidenceReadAudit audit;
    private final List<GatewayServer.Endpoint> apis;
    private final UiAssets assets = new UiAssets();

    UiEndpoint(UiSessions sessions, OidcSignIn signIn, EvidenceReadAudit audit, List<GatewayServer.Endpoint> apis) {
        this.sessions = sessions;
        this.signIn = signIn;
        this.audit = audit;
        this.apis = List.copyOf(apis);
    }

    /**
     * The UI signing in through {@code issuer} as the public client {@code clientId}; its pages' data comes from
     * {@code apis} (the audit, reviews and reports endpoints), asked in order.
     */
    public static UiEndpoint of(io.vertx.core.Vertx vertx, dev.gatehouse.authn.oidc.OidcIssuerConfig issuer,
                                String clientId, List<String> scopes, dev.gatehouse.authn.Authenticator authenticator,
                                EvidenceReadAudit audit, List<GatewayServer.Endpoint> apis, UiSettings settings) {
        return new UiEndpoint(new UiSessions(settings, java.time.Clock.systemUTC()),
                new OidcSignIn(vertx, issuer, clientId, scopes, authenticator), audit, apis);
    }

    /** Answers {@code /ui} and everything under {@code /ui/}; false for other paths. */
    public boolean handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        HttpServerResponse response = request.response();
        SecurityHeaders.apply(response, path.startsWith("/ui/static/"));
        HttpMethod method = request.method();
        if (path.equals(PREFIX)) {
            redirect(request, "/ui/");
        } else if (path.startsWith("/ui/static/")) {
            if (expect(request, HttpMethod.GET)) {
                staticFile(request, path.substring("/ui/static/".length()));
            }
        } else if (path.equals("/ui/signin")) {
            if (expect(request, HttpMethod.GET)) {
                html(request, 200, assets.message("signin.html", ""));
            }
        } else if (path.equals("/ui/login")) {
            if (expect(request, HttpMethod.GET)) {
                startSignIn(request);
            }
        } else if (path.equals("/ui/callback")) {
            if (expect(request, HttpMethod.GET)) {
                finishSignIn(request);
            }
        } else if (path.equals("/ui/logout")) {
            if (expect(request, HttpMethod.POST)) {
                signOut(request);
            }
        } else if (PAGES.containsKey(path)) {
            if (expect(request, HttpMethod.GET)) {
                page(request, PAGES.get(path));
            }
        } else if (path.startsWith("/ui/api/")) {
            api(request, method);
        } else {
            status(request, KubeStatus.of(404, "no such page: " + shorten(path)));
        }
        return true;
    }

    private void page(HttpServerRequest request, String page) {
        UiSession session = session(request);
        if (session == null) {
            redirect(request, "/ui/signin");
            return;
        }
        Exchange exchange = exchange(request, session.identity());
        audit.record(exchange, new EvidenceReadAudit.Outcome(new EvidenceRead.PageView(page), 200, null, 1L))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("{} cannot record a UI page view: {}", exchange.id(), ar.cause().getMessage());
                        html(request, 503, escapedMessage("The audit log cannot be written, so no evidence is shown "
                                + "(request " + exchange.id() + ")."));
                    } else {
                        request.response().putHeader("Audit-ID", exchange.id());
                        html(request, 200, assets.page(page + ".html", session.identity().user(),
                                session.csrfToken()));
                    }
                });
    }

    private void api(HttpServerRequest request, HttpMethod method) {
        var matcher = API.matcher(request.path());
        if (!matcher.matches()) {
            status(request, KubeStatus.of(404, "no such UI API: " + shorten(request.path())));
            return;
        }
        if (method != HttpMethod.GET && method != HttpMethod.POST) {
            status(request, KubeStatus.of(405, "method " + method.name() + " is not allowed (expected: GET or POST)"));
            return;
        }
        UiSession session = session(request);
        if (session == null) {
            status(request, KubeStatus.of(401, "Unauthorized: not signed in to the UI (sign in at /ui/signin)"));
            return;
        }
        if (method == HttpMethod.POST && !UiSessions.csrfMatches(session, request.getHeader(CSRF_HEADER))) {
            status(request, KubeStatus.of(403, "Forbidden: the request carries no valid CSRF token"));
            return;
        }
        String apiPath = "/gatehouse" + matcher.group(1);
        OnBehalfRequest onBehalf = new OnBehalfRequest(request, apiPath, session.idToken());
        for (GatewayServer.Endpoint api : apis) {
            if (api.handle(onBehalf)) {
                return;
            }
        }
        status(request, KubeStatus.of(404, "this gateway does not serve " + apiPath));
    }

    private void startSignIn(HttpServerRequest request) {
        String authority = request.authority() == null ? null : request.authority().toString();
        if (authority == null || !AUTHORITY.matcher(authority).matches()) {
            status(request, KubeStatus.of(400, "the request names no valid host (expected: the gateway's host name)"));
            return;
        }
        String browser = UiSessions.random();
        UiSessions.SignIn started = sessions.startSignIn(browser, "https://" + authority + "/ui/callback");
        signIn.authorizationUrl(started).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("the UI cannot start a sign-in at {}: {}", signIn.issuerUrl(), ar.cause().getMessage());
                html(request, 502, signInPage("Sign-in is unavailable: " + ar.cause().getMessage()));
                return;
            }
            // Lax, not Strict: the identity provider's redirect back is a cross-site navigation
            request.response().addCookie(Cookie.cookie(SIGN_IN_COOKIE, browser).setPath("/").setSecure(true)
                    .setHttpOnly(true).setSameSite(CookieSameSite.LAX).setMaxAge(600));
            redirect(request, ar.result());
        });
    }

    private void finishSignIn(HttpServerRequest request) {
        Cookie browser = request.getCookie(SIGN_IN_COOKIE);
        request.response().addCookie(Cookie.cookie(SIGN_IN_COOKIE, "").setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setMaxAge(0));
        String error = request.getParam("error");
        UiSessions.SignIn started = sessions.finishSignIn(request.getParam("state"),
                browser == null ? null : browser.getValue());
        if (started == null) {
            html(request, 400, signInPage("This sign-in is unknown, expired, already used or was started in another "
                    + "browser. Sign in again."));
            return;
        }
        if (error != null) {
            html(request, 400, signInPage("The identity provider refused the sign-in: " + shorten(error)));
            return;
        }
        String code = request.getParam("code");
        if (code == null || code.isEmpty()) {
            html(request, 400, signInPage("The identity provider's answer has no code. Sign in again."));
            return;
        }
        signIn.finish(started, code).onComplete(ar -> {
            if (ar.failed()) {
                String why = ar.cause() instanceof OidcSignIn.SignInException ? ar.cause().getMessage()
                        : "internal error";
                LOG.warn("a UI sign-in failed: {}", why, ar.cause() instanceof OidcSignIn.SignInException ? null
                        : ar.cause());
                html(request, 401, signInPage("Sign-in failed: " + why));
                return;
            }
            UiSession session = sessions.create(ar.result().getKey(), ar.result().getValue());
            LOG.info("{} signed in to the UI", session.identity().user());
            request.response().addCookie(sessionCookie(session.id(), -1));
            // a page of our own, not a redirect: the Strict cookie is sent on the navigation it starts
            html(request, 200, io.vertx.core.buffer.Buffer.buffer("<!doctype html><html><head><meta charset=\"utf-8\">"
                    + "<meta http-equiv=\"refresh\" content=\"0;url=/ui/\"><title>Signed in</title></head><body>"
                    + "<p>Signed in. <a href=\"/ui/\">Continue</a></p></body></html>"));
        });
    }

    private void signOut(HttpServerRequest request) {
        UiSession session = session(request);
        if (session == null) {
            status(request, KubeStatus.of(401, "Unauthorized: not signed in to the UI"));
            return;
        }
        if (!UiSessions.csrfMatches(session, request.getHeader(CSRF_HEADER))) {
            status(request, KubeStatus.of(403, "Forbidden: the request carries no valid CSRF token"));
            return;
        }
        sessions.end(session.id());
        LOG.info("{} signed out of the UI", session.identity().user());
        request.response().addCookie(sessionCookie("", 0));
        request.response().setStatusCode(204).end();
    }

    private UiSession session(HttpServerRequest request) {
        Cookie cookie = request.getCookie(SESSION_COOKIE);
        return cookie == null ? null : sessions.find(cookie.getValue());
    }

    private static Cookie sessionCookie(String value, long maxAge) {
        Cookie cookie = Cookie.cookie(SESSION_COOKIE, value).setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT);
        if (maxAge >= 0) {
            cookie.setMaxAge(maxAge);
        }
        return cookie;
    }

    private void staticFile(HttpServerRequest request, String name) {
        assets.file("static/" + name).ifPresentOrElse(a -> request.response().putHeader("Content-Type", a.contentType())
                .end(a.body()), () -> status(request, KubeStatus.of(404, "no such file: " + shorten(name))));
    }

    /** The sign-in page with a message (escaped) above its button. */
    private io.vertx.core.buffer.Buffer signInPage(String message) {
        return assets.message("signin.html", message);
    }

    private io.vertx.core.buffer.Buffer escapedMessage(String message) {
        return assets.message("message.html", message);
    }

    private static boolean expect(HttpServerRequest request, HttpMethod method) {
        if (request.method() == method) {
            return true;
        }
        status(request, KubeStatus.of(405, "method " + request.method().name() + " is not allowed (expected: "
                + method.name() + ")"));
        return false;
    }

    private static Exchange exchange(HttpServerRequest request, Identity identity) {
        Exchange exchange = new Exchange(RequestHead.of(request));
        exchange.identity(identity);
        return exchange;
    }

    private static void redirect(HttpServerRequest request, String location) {
        request.response().setStatusCode(302).putHeader("Location", location).end();
    }

    private static void html(HttpServerRequest request, int code, io.vertx.core.buffer.Buffer body) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(code).putHeader("Content-Type", "text/html; charset=utf-8").end(body);
        }
    }

    private static void status(HttpServerRequest request, KubeStatus status) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status.code()).putHeader("Content-Type", "application/json").end(status.toJson());
        }
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** Stops the sign-in client. */
    public void close() {
        signIn.close();
    }

    static Set<String> pages() {
        return Set.copyOf(PAGES.values());
    }
}
