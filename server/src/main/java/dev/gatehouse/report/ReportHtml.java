package dev.gatehouse.report;

import java.io.IOException;
import java.util.List;

import com.google.common.html.HtmlEscapers;

/**
 * The printable HTML page of an answer. No script runs (the page is served with {@link ReportFormat#HTML_POLICY}),
 * every value is escaped for HTML text, and the JSON answer is embedded in a non-executable
 * {@code <script type="application/json">} block with {@code < > &} written as JSON unicode escapes, so no
 * value can close the block; {@link #embedded} reads it back for {@code report check}.
 */
final class ReportHtml {
    private static final String OPEN = "<script type=\"application/json\" id=\"gatehouse-answer\">";
    private static final String CLOSE = "</script>";

    private ReportHtml() {
    }

    static String page(ReportAnswer a, String json) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(ReportFormat.HTML_POLICY)
                .append("\"><title>").append(escape(a.title())).append("</title><style>")
                .append("body{font:12px sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}")
                .append("th,td{border:1px solid #999;padding:2px 4px;text-align:left;vertical-align:top;")
                .append("word-break:break-all}th{background:#eee}dt{font-weight:bold;float:left;width:10em}")
                .append("dd{margin-left:11em}@media print{th{background:none}}</style></head><body>\n");
        out.append("<h1>").append(escape(a.title())).append("</h1>\n<dl>");
        fact(out, "Report", a.query().name() + " " + a.query().parameters());
        fact(out, "Period", a.period().from() + " to " + a.period().to() + " (end excluded)");
        fact(out, "Records", Long.toString(a.count()));
        for (ReportAnswer.Positions p : a.positions()) {
            fact(out, "Log positions", p.log() + ": read " + p.scannedFrom() + ".." + p.scannedTo() + ", rows rest on "
                    + p.first() + ".." + p.last() + (p.unreadable().isEmpty() ? "" : ", unreadable " + p.unreadable()));
        }
        fact(out, "Signed checkpoint", "tree size " + a.checkpoint().treeSize() + ", root " + a.checkpoint().rootHash()
                + ", key " + a.checkpoint().keyId() + ", signed " + a.checkpoint().time());
        fact(out, "SHA-256 of rows", a.rowsSha256() + " (" + a.canonicalForm() + ")");
        fact(out, "Generated", a.generatedAt());
        fact(out, "Check", "gatehouse report check FILE --log-dir <dataDir>/audit");
        out.append("</dl>\n<table><thead><tr>");
        for (String c : a.columns()) {
            out.append("<th>").append(escape(c)).append("</th>");
        }
        out.append("</tr></thead><tbody>\n");
        for (List<String> row : a.rows()) {
            out.append("<tr>");
            for (String cell : row) {
                out.append("<td>").append(escape(cell)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n").append(OPEN).append(scriptSafe(json)).append(CLOSE)
                .append("\n</body></html>\n");
        return out.toString();
    }

    private static void fact(StringBuilder out, String name, String value) {
        out.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
    }

    /** HTML text and attribute escaping ({@code & < > " '}), by Guava's {@code HtmlEscapers}; null is empty. */
    static String escape(String text) {
        return text == null ? "" : HtmlEscapers.htmlEscaper().escape(text);
    }

    /** JSON text that cannot end a script block: {@code < > &} as JSON unicode escapes (valid JSON still). */
    static String scriptSafe(String json) {
        return json.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e");
    }

    /** The JSON answer embedded in a page. */
    static String embedded(String html) throws IOException {
        int start = html.indexOf(OPEN);
        int end = start < 0 ? -1 : html.indexOf(CLOSE, start);
        if (start < 0 || end < 0) {
            throw new IOException("the HTML page carries no embedded answer");
        }
        return html.substring(start + OPEN.length(), end);
    }
}
