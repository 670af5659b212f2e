package dev.gatehouse.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The three formats: hostile values are inert in HTML and CSV, and the canonical hash is the documented one. */
class ReportFormatTest {
    static final String SCRIPT = "<script>alert(1)</script>";

    static ReportAnswer answer(List<String> columns, List<List<String>> rows) {
        return new ReportAnswer(ReportAnswer.KIND, ReportAnswer.API_VERSION,
                new ReportAnswer.Query("secret-reads", Map.of("namespace", "</script><b>")), "Who read <Secrets>",
                new ReportAnswer.Period("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"), rows.size(),
                List.of(new ReportAnswer.Positions(ReportAnswer.AUDIT_LOG, 0, 9, 1, 2, List.of())),
                new ReportAnswer.SignedCheckpoint("gatehouse.dev/audit", 10, "cm9vdA==", "2026-03-03T00:00:00Z", "k1",
                        "c2ln"),
                CanonicalRows.FORM, CanonicalRows.sha256(columns, rows), "2026-03-03T00:00:00Z", columns, rows);
    }

    @Test
    void theCanonicalHashIsTheOneDocumented() {
        // printf '["c1","c2"]\n["a\"b","\u0001\né"]\n' | sha256sum (é as UTF-8), computed outside Java
        assertThat(CanonicalRows.sha256(List.of("c1", "c2"), List.of(List.of("a\"b", "\u0001\n\u00e9"))))
                .isEqualTo("a900018beafad397b440706f5063169547b28ceaf9080c0dcd14402d5261e9d2");
    }

    @Test
    void htmlEscapesEveryValueAndRunsNoScript() {
        ReportAnswer a = answer(List.of("seq", "name"), List.of(List.of("1", SCRIPT), List.of("2",
                "\"><img src=x onerror=alert(1)>")));
        String html = ReportFormat.HTML.write(a);
        assertThat(html).doesNotContain(SCRIPT).doesNotContain("<img").doesNotContain("</script><b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;Secrets&gt;");
        // the only script element is the inert JSON block, which no value can close
        assertThat(html.split("<script", -1)).hasSize(2);
        assertThat(html).contains("<script type=\"application/json\" id=\"gatehouse-answer\">");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void csvNeutralizesFormulasAndQuotesSeparators() {
        ReportAnswer a = answer(List.of("seq", "user"), List.of(List.of("1", "=SUM(A1)"), List.of("2", "+1"),
                List.of("3", "a,b\"c"), List.of("4", "-2"), List.of("5", "@x")));
        String csv = ReportFormat.CSV.write(a);
        assertThat(csv).contains("\r\n1,'=SUM(A1)\r\n").contains("\r\n2,'+1\r\n").contains("\r\n3,\"a,b\"\"c\"\r\n")
                .contains("\r\n4,'-2\r\n").contains("\r\n5,'@x\r\n");
        assertThat(csv).startsWith("# report: secret-reads").contains("# rowsSha256: " + a.rowsSha256());
    }

    @ParameterizedTest
    @CsvSource({"xml", "JSON", "' json'"})
    void unknownFormatsAreRefused(String format) {
        assertThatThrownBy(() -> ReportFormat.named(format)).hasMessageContaining("expected: json, csv or html");
    }

    @Test
    void anHtmlPageWithoutAnAnswerIsNotReadAsOne() {
        assertThatThrownBy(() -> ReportFormat.read("<html><body>nothing</body></html>"))
                .hasMessageContaining("no embedded answer");
    }
}
