package dev.gatehouse.report;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEventJson;

/**
 * The three ways an answer is written: {@code json} (the {@link ReportAnswer} itself, what {@code report check}
 * reads), {@code csv} (RFC 4180 with the answer's facts in leading {@code #} lines) and {@code html} (a printable
 * page without any script, every value escaped, the JSON answer embedded so the page itself can be checked).
 */
public enum ReportFormat {
    JSON("application/json"), CSV("text/csv; charset=utf-8"), HTML("text/html; charset=utf-8");

    /** The Content-Security-Policy an HTML answer is served with: nothing runs, nothing loads. */
    public static final String HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private final String contentType;

    ReportFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public String fileSuffix() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By name: json, csv or html. */
    public static ReportFormat named(String name) {
        if (name == null) {
            return JSON;
        }
        return switch (name) {
            case "json" -> JSON;
            case "csv" -> CSV;
            case "html" -> HTML;
            default -> throw new IllegalArgumentException("format=" + (name.length() > 40 ? name.substring(0, 40)
                    + "..." : name) + " (expected: json, csv or html)");
        };
    }

    public String write(ReportAnswer answer) {
        return switch (this) {
            case JSON -> json(answer);
            case CSV -> csv(answer);
            case HTML -> ReportHtml.page(answer, json(answer));
        };
    }

    public static String json(ReportAnswer answer) {
        try {
            return AuditEventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON answer, or the one embedded in an HTML answer. */
    public static ReportAnswer read(String text) throws java.io.IOException {
        String json = text.stripLeading().startsWith("<") ? ReportHtml.embedded(text) : text;
        return AuditEventJson.mapper().readValue(json, ReportAnswer.class);
    }

    private static String csv(ReportAnswer a) {
        StringBuilder out = new StringBuilder();
        meta(out, "report", a.query().name() + " " + a.query().parameters());
        meta(out, "period", a.period().from() + " .. " + a.period().to());
        meta(out, "count", Long.toString(a.count()));
        for (ReportAnswer.Positions p : a.positions()) {
            meta(out, "positions", p.log() + " scanned " + p.scannedFrom() + ".." + p.scannedTo() + " rows "
                    + p.first() + ".." + p.last());
        }
        meta(out, "checkpoint", a.checkpoint().treeSize() + " " + a.checkpoint().rootHash() + " "
                + a.checkpoint().keyId() + " " + a.checkpoint().time());
        meta(out, "rowsSha256", a.rowsSha256() + " (" + a.canonicalForm() + "; check the JSON answer)");
        line(out, a.columns());
        for (List<String> row : a.rows()) {
            line(out, row);
        }
        return out.toString();
    }

    private static void meta(StringBuilder out, String key, String value) {
        out.append("# ").append(key).append(": ").append(value.replaceAll("[\\r\\n]", " ")).append("\r\n");
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            out.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * One CSV field: quoted when it holds a comma, quote, line break or leading/trailing space; a value a
     * spreadsheet would run as a formula (starting with {@code = + - @}, tab or carriage return) gets a leading
     * apostrophe (OWASP's advice against CSV injection) — so CSV cells may differ from the canonical rows.
     */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                || !v.equals(v.strip());
        return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
