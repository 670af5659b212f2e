package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UiAssetsTest {
    private final UiAssets assets = new UiAssets();

    @Test
    void fillsPagesWithEscapedValues() {
        String page = assets.page("inbox.html", "<script>alert(1)</script>\"'&", "tok\"en").toString(
                StandardCharsets.UTF_8);
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;")
                .contains("content=\"tok&quot;en\"").doesNotContain("<script>alert(1)");
        assertThat(page).doesNotContain("{{user}}").doesNotContain("{{csrf}}");
    }

    @Test
    void pagesCarryNoInlineScript() {
        for (String page : UiEndpoint.pages()) {
            String html = assets.page(page + ".html", "u", "c").toString(StandardCharsets.UTF_8);
            assertThat(html.replaceAll("<script src=\"/ui/static/[a-z/.-]+\"></script>", ""))
                    .as(page).doesNotContain("<script").doesNotContain(" on").doesNotContain("style=");
        }
    }

    @Test
    void servesTheShippedFiles() {
        assertThat(assets.file("static/app.js")).get().extracting(UiAssets.Asset::contentType)
                .isEqualTo("text/javascript; charset=utf-8");
        assertThat(assets.file("static/vendor/asciinema-player/asciinema-player.min.js")).isPresent();
        assertThat(assets.file("static/app.css")).get().extracting(UiAssets.Asset::contentType)
                .isEqualTo("text/css; charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../ui/static/app.js", "static/../static/app.js", "/static/app.js", "static//app.js",
            "static/app.js/", "static/APP.js", "static/app.class", "static/missing.js", "static/app.js%00",
            "../../dev/gatehouse/Gatehouse.class", "static\\app.js", ""})
    void findsNothingOutsideItsOwnPlainNames(String name) {
        assertThat(assets.file(name)).isEmpty();
    }
}
