package dev.gatehouse.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.gatehouse.report.answers.ActorChains;
import dev.gatehouse.report.answers.CopiedFilesReport;
import dev.gatehouse.report.answers.CredentialUse;
import dev.gatehouse.report.answers.DormantIdentities;
import dev.gatehouse.report.answers.EvidenceReads;
import dev.gatehouse.report.answers.ExecSession;
import dev.gatehouse.report.answers.HeldRequests;
import dev.gatehouse.report.answers.LogCompleteness;
import dev.gatehouse.report.answers.PrivilegedActions;
import dev.gatehouse.report.answers.Recertification;
import dev.gatehouse.report.answers.RefusedRequests;
import dev.gatehouse.report.answers.SecretReads;
import dev.gatehouse.report.answers.SiemExport;

/** The catalogue of reports by name, and the check of a query against the report it names. */
public final class Reports {
    /** Longest parameter value accepted. */
    static final int MAX_VALUE = 256;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private final Map<String, Report> byName = new LinkedHashMap<>();

    public Reports(List<Report> reports) {
        for (Report r : reports) {
            if (byName.put(r.name(), r) != null) {
                throw new IllegalArgumentException("two reports named " + r.name());
            }
        }
    }

    /** Every report Gatehouse answers, in the order of value. */
    public static Reports standard() {
        return new Reports(List.of(new PrivilegedActions(), new HeldRequests(), new RefusedRequests(),
                new SecretReads(), new ActorChains(), new CredentialUse(), new ExecSession(), new CopiedFilesReport(),
                new EvidenceReads(), new LogCompleteness(), new DormantIdentities(), new SiemExport(),
                new Recertification()));
    }

    public List<Report> all() {
        return List.copyOf(byName.values());
    }

    /** The report {@code query} names, once its parameters are known, required ones given and values bounded. */
    public Report check(ReportQuery query) {
        Report report = named(query.name());
        Set<String> known = new TreeSet<>();
        report.parameters().forEach(p -> known.add(p.name()));
        for (Map.Entry<String, String> e : query.parameters().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("report " + report.name() + ": unknown parameter \""
                        + shorten(e.getKey()) + "\" (expected one of " + known + ", besides from, to and format)");
            }
            if (e.getValue() == null || e.getValue().isEmpty() || e.getValue().length() > MAX_VALUE) {
                throw new IllegalArgumentException("report " + report.name() + ": " + e.getKey() + " (expected: 1 to "
                        + MAX_VALUE + " characters)");
            }
        }
        for (Parameter p : report.parameters()) {
            if (p.required() && !query.parameters().containsKey(p.name())) {
                throw new IllegalArgumentException("report " + report.name() + ": parameter " + p.name()
                        + " is required (" + p.description() + ")");
            }
        }
        report.validate(query);
        return report;
    }

    /** The report named {@code name}; fails naming the known ones. */
    public Report named(String name) {
        Report report = name == null || !NAME.matcher(name).matches() ? null : byName.get(name);
        if (report == null) {
            throw new NoSuchReportException("no report \"" + shorten(name) + "\" (expected one of "
                    + byName.keySet() + ")");
        }
        return report;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A name that is not in the catalogue (404 for the API). */
    public static final class NoSuchReportException extends IllegalArgumentException {
        public NoSuchReportException(String message) {
            super(message);
        }
    }
}
