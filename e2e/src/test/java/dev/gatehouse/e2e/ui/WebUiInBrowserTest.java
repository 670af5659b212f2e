package dev.gatehouse.e2e.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * The reviewers' web UI in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium) against
 * the gateway in front of the sandbox, signing in at the demo IdP like a person: the inbox releases a held
 * {@code kubectl delete} that then completes, a recorded session replays, the verification and reports pages
 * answer; and the hostile cases: a POST without the CSRF token, a requester approving their own request, a session
 * cookie replayed after sign-out, markup in a recorded command and in an object name. Screenshots of the main pages
 * go to {@code target/ui-screenshots} (or {@code -Dui.screenshots=<dir>}).
 */
class WebUiInBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String INJECTED = "<img src=x onerror=window.__xss=alert(1)>";

    @TempDir
    static Path dir;
    private static UiGateway gateway;
    private static Kubectl alice;
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "chromium and chromium-driver are not installed "
                + "(scripts/prepare-chromium.sh)");
        gateway = new UiGateway(dir);
        alice = gateway.kubectl("alice");
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void signsInAtTheIdentityProviderAndEachPageViewIsEvidence() throws Exception {
        int before = gateway.pageViews("demo:bob").size();
        signIn("bob");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("demo:bob");
        Cookie cookie = browser.manage().getCookieNamed("__Host-gatehouse-ui");
        assertThat(cookie).as("the session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getValue()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(browser.manage().getCookieNamed("__Host-gatehouse-signin")).as("the sign-in binding is gone")
                .isNull();
        screenshot("inbox-empty");
        open("/ui/verify");
        wait(ExpectedConditions.textMatches(By.id("verdict"), java.util.regex.Pattern.compile("Verified")));
        screenshot("verify");
        List<AuditEvent> views = gateway.pageViews("demo:bob");
        assertThat(views.subList(before, views.size())).extracting(e -> e.gatehouse().details().get("page"))
                .containsExactly("inbox", "verify");
        assertThat(gateway.audit.events()).as("the verify call itself is an audit API read by bob")
                .anyMatch(e -> "verify".equals(e.verb()) && "demo:bob".equals(e.user().username()));

        HttpResponse<String> page = gateway.get("/ui/signin");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
                .doesNotContain("'unsafe-eval'");
        assertThat(page.headers().map()).containsEntry("x-frame-options", List.of("DENY"))
                .containsEntry("x-content-type-options", List.of("nosniff"))
                .containsEntry("referrer-policy", List.of("no-referrer"));
        assertThat(gateway.get("/ui/").headers().firstValue("Location")).as("not signed in: to sign-in")
                .contains("/ui/signin");
        HttpResponse<String> forged = gateway.get("/ui/callback?state=forged&code=anything");
        assertThat(forged.statusCode()).as("a callback no sign-in of this browser started").isEqualTo(400);
        assertThat(forged.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-gatehouse-ui=")
                && !c.startsWith("__Host-gatehouse-ui=;"));
        HttpResponse<String> noSession = gateway.get("/ui/api/v1/audit/verify");
        assertThat(noSession.statusCode()).isEqualTo(401);
        assertThat(gateway.get("/ui/api/v1/grants").statusCode()).as("only the pages' APIs").isEqualTo(404);
    }

    @Test
    void approvingAHeldKubectlDeleteInTheInboxLetsTheCommandComplete() throws Exception {
        assertThat(alice.run("create", "namespace", "ui-approved").succeeded()).isTrue();
        signIn("bob"); // first: a browser's start must not eat into the hold
        CompletableFuture<KubectlResult> delete = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(150),
                null, "delete", "namespace", "ui-approved"));
        WebElement row = reviewRow("ui-approved");
        String id = row.getAttribute("data-review");
        assertThat(row.getText()).contains("demo:alice").contains("hold-namespace-delete");
        screenshot("inbox");
        assertThat(delete).as(() -> "held until approved: " + (delete.isDone() ? delete.join() : "")).isNotDone();
        row.findElement(By.cssSelector("input.reason")).sendKeys("cleanup ticket 42");
        row.findElement(By.cssSelector("button.approve")).click();
        wait(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("Approved " + id)));

        KubectlResult result = delete.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("namespace \"ui-approved\" deleted");
        AuditEvent approved = gateway.audit.events().stream().filter(e -> e.gatehouse() != null
                && "review".equals(e.gatehouse().type()) && "approved".equals(e.verb())
                && id.equals(e.gatehouse().details().get("reviewId"))).findFirst().orElseThrow();
        assertThat(approved.user().username()).isEqualTo("demo:bob");
        assertThat(approved.toString()).contains("cleanup ticket 42");
        wait(d -> d.findElements(By.cssSelector("tr[data-review='" + id + "']")).isEmpty());
    }

    @Test
    void aRequesterCannotApproveTheirOwnRequestInTheUi() throws Exception {
        assertThat(alice.run("create", "namespace", "ui-self").succeeded()).isTrue();
        signIn("alice"); // first: a browser's start must not eat into the hold
        CompletableFuture<KubectlResult> delete = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(150),
                null, "delete", "namespace", "ui-self"));
        WebElement row = reviewRow("ui-self");
        String id = row.getAttribute("data-review");
        assertThat(row.findElements(By.cssSelector("button.approve"))).as("no approve button for one's own").isEmpty();
        assertThat(row.getText()).contains("not yours to decide");
        Map<?, ?> forced = post("/ui/api/v1/reviews/" + id + "/approve", true, "{\"reason\":\"mine\"}");
        assertThat(forced.get("status")).as("approving one's own request, CSRF token and all").isEqualTo(403L);
        assertThat((String) forced.get("body")).contains("Failure");
        assertThat(delete).as("still held").isNotDone();

        browser.quit();
        signIn("bob");
        WebElement bobs = reviewRow("ui-self");
        bobs.findElement(By.cssSelector("input.reason")).sendKeys("not today");
        bobs.findElement(By.cssSelector("button.deny")).click();
        wait(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("Denied " + id
                + ": now denied")));
        // Seen here: after the refused self-approval the denial does not wake the held request, which then ends
        // at its hold time as "not yet approved" (without one, as in aPostWithoutTheCsrfTokenIsRefused, it ends at
        // once as "was denied"). Either way nothing is forwarded; reported to the reviews module.
        KubectlResult result = delete.get(150, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as("denied in the UI").isNotZero();
        assertThat(result.stderr()).contains("review " + id);
        assertThat(alice.run("get", "namespace", "ui-self").succeeded()).as("never deleted").isTrue();
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        assertThat(alice.run("create", "namespace", "ui-csrf").succeeded()).isTrue();
        signIn("bob"); // first: a browser's start must not eat into the hold
        CompletableFuture<KubectlResult> delete = CompletableFuture.supplyAsync(() -> alice.run(Duration.ofSeconds(150),
                null, "delete", "namespace", "ui-csrf"));
        String id = reviewRow("ui-csrf").getAttribute("data-review");
        Map<?, ?> noToken = post("/ui/api/v1/reviews/" + id + "/approve", false, "{}");
        assertThat(noToken.get("status")).isEqualTo(403L);
        assertThat((String) noToken.get("body")).contains("CSRF");
        Map<?, ?> wrongToken = browserFetch("/ui/api/v1/reviews/" + id + "/approve",
                "{method:'POST',headers:{'X-Gatehouse-CSRF':'forged'},body:'{}'}");
        assertThat(wrongToken.get("status")).isEqualTo(403L);
        Map<?, ?> signOut = browserFetch("/ui/logout", "{method:'POST'}");
        assertThat(signOut.get("status")).as("sign-out is a state change too").isEqualTo(403L);
        assertThat(delete).as(() -> "nothing was approved: " + (delete.isDone() ? delete.join() : "")).isNotDone();
        open("/ui/");
        assertThat(browser.getCurrentUrl()).as("still signed in").endsWith("/ui/");

        WebElement row = reviewRow("ui-csrf");
        row.findElement(By.cssSelector("button.deny")).click();
        wait(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("Denied " + id)));
        KubectlResult denied = delete.get(60, TimeUnit.SECONDS);
        assertThat(denied.stderr()).as("denied, not approved by the forged posts").contains("was denied");
    }

    @Test
    void aSessionCookieReplayedAfterSignOutLeadsBackToSignIn() throws Exception {
        signIn("bob");
        Cookie cookie = browser.manage().getCookieNamed("__Host-gatehouse-ui");
        HttpResponse<String> before = gateway.get("/ui/api/v1/reviews", "Cookie", "__Host-gatehouse-ui="
                + cookie.getValue());
        assertThat(before.statusCode()).as("the cookie works before sign-out").isEqualTo(200);
        browser.findElement(By.id("signout")).click();
        wait(ExpectedConditions.urlContains("/ui/signin"));
        assertThat(browser.manage().getCookieNamed("__Host-gatehouse-ui")).isNull();

        browser.manage().addCookie(new Cookie.Builder(cookie.getName(), cookie.getValue()).path("/").isSecure(true)
                .isHttpOnly(true).sameSite("Strict").build());
        open("/ui/");
        assertThat(browser.getCurrentUrl()).as("the replayed cookie").contains("/ui/signin");
        HttpResponse<String> replayed = gateway.get("/ui/api/v1/reviews", "Cookie", "__Host-gatehouse-ui="
                + cookie.getValue());
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(gateway.get("/ui/search", "Cookie", "__Host-gatehouse-ui=" + cookie.getValue())
                .headers().firstValue("Location")).contains("/ui/signin");
    }

    @Test
    void aRecordedSessionReplaysAndMarkupInItsCommandIsShownAsText() throws Exception {
        KubectlResult pods = alice.run("get", "pods", "-o", "name");
        String pod = pods.stdout().lines().findFirst().orElseThrow().replace("pod/", "");
        KubectlResult exec = alice.run("exec", pod, "--", "sh", "-c", "echo replay-marker; echo '" + INJECTED + "'");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        signIn("bob");
        open("/ui/search");
        WebElement replay = wait(ExpectedConditions.elementToBeClickable(By.cssSelector("#sessions a.replay")));
        WebElement sessionRow = browser.findElements(By.cssSelector("#sessions tbody tr")).stream()
                .filter(r -> r.getText().contains("replay-marker")).findFirst().orElseThrow();
        assertThat(sessionRow.getText()).as("the command as text").contains(INJECTED);
        screenshot("search");
        sessionRow.findElement(By.cssSelector("a.replay")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#player .ap-wrapper, #player .ap-player")));
        wait(ExpectedConditions.textMatches(By.cssSelector("#player .ap-term"), java.util.regex.Pattern.compile(
                "replay-marker"))); // the player itself shows what was seen
        wait(ExpectedConditions.textMatches(By.id("transcript"), java.util.regex.Pattern.compile("replay-marker")));
        assertThat(browser.findElement(By.id("transcript")).getText()).contains(INJECTED);
        assertThat(browser.findElement(By.id("about")).getText()).contains(INJECTED);
        Thread.sleep(1500); // the player plays on its own: give a smuggled handler time to run
        screenshot("session-replay");
        assertNoScriptRan();
        assertThat(replay).isNotNull();
    }

    @Test
    void anObjectNameWithMarkupIsShownAsText() throws Exception {
        // the path refuses percent-encoded characters; a field selector's exact name is recorded as the object's name
        KubectlResult get = alice.run("get", "configmaps", "--field-selector",
                "metadata.name=" + INJECTED.replace("=", "\\="));
        assertThat(gateway.audit.events()).as(get.toString()).anyMatch(e -> e.objectRef() != null
                && INJECTED.equals(e.objectRef().name()));
        signIn("bob");
        open("/ui/search");
        WebElement user = wait(ExpectedConditions.elementToBeClickable(By.name("user")));
        user.sendKeys("demo:alice");
        browser.findElement(By.name("verb")).sendKeys("list"); // a get of a collection with a name selector
        browser.findElement(By.cssSelector("#filters button")).click();
        wait(d -> d.findElements(By.cssSelector("#events tbody tr")).stream()
                .anyMatch(r -> r.getText().contains(INJECTED)));
        assertThat(browser.findElements(By.cssSelector("#events tbody img"))).as("no element made of the name")
                .isEmpty();
        Thread.sleep(500);
        assertNoScriptRan();
    }

    @Test
    void theReportsPageListsTheReportsAndDownloadsOne() throws Exception {
        HttpResponse<String> api = gateway.get("/gatehouse/v1/reports", "Authorization", "Bearer "
                + gateway.idp.idToken("bob", 600));
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(api.body()).contains("\"privileged-actions\"");
        signIn("bob");
        open("/ui/reports");
        WebElement json = wait(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#reports a.download[data-format='json']")));
        Map<?, ?> download = browserFetch(json.getAttribute("href"), "{}");
        assertThat(download.get("status")).as("%s", download.get("body")).isEqualTo(200L);
        String answer = (String) download.get("body");
        assertThat(answer).as("an answer carries its count, checkpoint and hash").contains("\"rowsSha256\"").contains("\"count\"")
                .contains("\"checkpoint\"");
        screenshot("reports");
    }

    // --- helpers

    /** Signs in as a demo user through the IdP's login page; ends on the inbox. */
    private void signIn(String user) {
        browser = HeadlessChromium.start(dir.resolve("browser"), gateway.certificate);
        browser.get(gateway.url + "/ui/");
        wait(ExpectedConditions.urlContains("/ui/signin"));
        screenshot("signin");
        browser.findElement(By.id("signin")).click();
        WebElement pick = wait(ExpectedConditions.elementToBeClickable(By.xpath(
                "//button[starts-with(normalize-space(.), 'Sign in as " + user + " ')]")));
        pick.click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("who")));
        assertThat(browser.getCurrentUrl()).isEqualTo(gateway.url + "/ui/");
    }

    private void open(String path) {
        browser.get(gateway.url + path);
    }

    /** The inbox row of the pending review whose description names {@code what}. */
    private WebElement reviewRow(String what) {
        return wait(d -> d.findElements(By.cssSelector("#reviews tbody tr")).stream()
                .filter(r -> r.getText().contains(what)).findFirst().orElse(null));
    }

    /** fetch() in the page: {status, body}. */
    private Map<?, ?> browserFetch(String url, String init) {
        Object result = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], Object.assign({credentials: 'same-origin'}, " + init + "))"
                + ".then(r => r.text().then(t => done({status: r.status, body: t})))"
                + ".catch(e => done({status: -1, body: String(e)}));", url);
        return (Map<?, ?>) result;
    }

    /** A POST from the page, with or without the session's CSRF token. */
    private Map<?, ?> post(String url, boolean withToken, String body) {
        String headers = withToken ? "{'Content-Type':'application/json','X-Gatehouse-CSRF':"
                + "document.querySelector('meta[name=\"gatehouse-csrf\"]').content}" : "{'Content-Type':'application/json'}";
        return browserFetch(url, "{method:'POST',headers:" + headers + ",body:" + quote(body) + "}");
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private void assertNoScriptRan() {
        try {
            browser.switchTo().alert();
            throw new AssertionError("an alert opened: injected script ran");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
    }

    private <T> T wait(java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private void screenshot(String name) {
        try {
            Path to = Path.of(System.getProperty("ui.screenshots", "target/ui-screenshots"));
            Files.createDirectories(to);
            Files.write(to.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
