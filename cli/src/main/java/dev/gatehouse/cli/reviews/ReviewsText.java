package dev.gatehouse.cli.reviews;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reviews and grants as people read them: a table like kubectl's, every field of one, and one line for what an
 * action did ({@code review r-... approved by bob (1/2): 1 more approval needed}).
 */
public final class ReviewsText {
    private ReviewsText() {
    }

    /** ID, STATE, REQUESTER, REQUEST, RULE, APPROVALS, AGE. */
    public static void reviewTable(PrintWriter out, JsonNode list, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(new ArrayList<>(List.of("ID", "STATE", "REQUESTER", "REQUEST", "RULE", "APPROVALS", "AGE")));
        for (JsonNode r : list.path("items")) {
            rows.add(new ArrayList<>(List.of(r.path("id").asText(), r.path("state").asText(),
                    r.path("requester").path("user").asText(), r.path("description").asText(), r.path("rule").asText(), r.path("approvals").asText(),
                    age(r.path("created").asText(), now))));
        }
        table(out, rows);
    }

    /** ID, STATE, REQUESTER, SCOPE, DURATION, APPROVALS, AGE. */
    public static void grantTable(PrintWriter out, JsonNode list, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(new ArrayList<>(List.of("ID", "STATE", "REQUESTER", "SCOPE", "DURATION", "APPROVALS", "AGE")));
        for (JsonNode g : list.path("items")) {
            rows.add(new ArrayList<>(List.of(g.path("id").asText(), g.path("state").asText(),
                    g.path("requester").path("user").asText(), g.path("description").asText(), g.path("duration").asText(), g.path("approvals").asText(),
                    age(g.path("created").asText(), now))));
        }
        table(out, rows);
    }

    /** Every field of a review or a grant, verdicts included. */
    public static void show(PrintWriter out, JsonNode doc, Instant now) {
        boolean review = "Review".equals(doc.path("kind").asText());
        field(out, review ? "Review" : "Grant", doc.path("id").asText());
        field(out, "State", doc.path("state").asText() + " (" + doc.path("approvals").asText() + " approvals)");
        JsonNode requester = doc.path("requester");
        field(out, "Requester", requester.path("user").asText() + " " + list(requester.path("groups"))
                + " via " + requester.path("method").asText()
                + (requester.path("actorChain").isEmpty() ? "" : ", acting: " + list(requester.path("actorChain"))));
        if (review) {
            JsonNode request = doc.path("request");
            field(out, "Request", doc.path("description").asText());
            field(out, "", request.path("method").asText() + " " + request.path("uri").asText()
                    + (request.path("bodyBytes").asLong() > 0 ? " (" + request.path("bodyBytes").asLong()
                    + " bytes, sha256 " + request.path("bodySha256").asText() + ")" : ""));
            field(out, "Audit ID", request.path("auditId").asText());
            field(out, "Rule", doc.path("rule").asText());
        } else {
            field(out, "Scope", doc.path("description").asText());
            field(out, "Duration", doc.path("duration").asText());
        }
        field(out, "Reason", doc.path("reason").asText().isEmpty() ? "-" : doc.path("reason").asText());
        JsonNode requirement = doc.path("requirement");
        field(out, "Approvers", approvers(requirement) + "; " + requirement.path("approvals").asInt() + " needed"
                + (requirement.path("reasonRequired").asBoolean() ? ", each with a reason" : ""));
        field(out, "You", doc.path("mayApprove").asBoolean() ? "may approve" : "may not approve");
        field(out, "Created", when(doc.path("created").asText(), now));
        field(out, "Expires", when(doc.path("expires").asText(), now));
        field(out, "Valid until", doc.path("validUntil").isTextual() ? when(doc.path("validUntil").asText(), now)
                : "-");
        if (!doc.path("revokedBy").asText().isEmpty()) {
            field(out, "Revoked by", doc.path("revokedBy").asText());
        }
        if (doc.path("verdicts").isEmpty()) {
            field(out, "Verdicts", "none yet");
        } else {
            out.println("Verdicts:");
        }
        for (JsonNode v : doc.path("verdicts")) {
            out.printf("  %s  %-10s %-8s%s%s%n", clean(seconds(v.path("at").asText())),
                    clean(v.path("reviewer").asText()),
                    v.path("approve").asBoolean() ? "approved" : "denied",
                    v.path("reason").asText().isEmpty() ? "" : "  \"" + clean(v.path("reason").asText()) + "\"",
                    v.path("breakGlass").asBoolean() ? "  (break-glass)" : "");
        }
        out.flush();
    }

    /**
     * What an action did: {@code review r-... approved by bob (1/1): released}, {@code ... approved by bob (1/2): 1
     * more approval needed}, {@code grant g-... revoked by alice}.
     */
    public static String outcome(JsonNode doc, String action) {
        return clean(outcomeText(doc, action));
    }

    private static String outcomeText(JsonNode doc, String action) {
        boolean review = "Review".equals(doc.path("kind").asText());
        String what = (review ? "review " : "grant ") + doc.path("id").asText();
        JsonNode verdicts = doc.path("verdicts");
        String by = verdicts.isEmpty() ? "" : verdicts.get(verdicts.size() - 1).path("reviewer").asText();
        String state = doc.path("state").asText();
        return switch (action) {
            case "approve" -> {
                String approvals = doc.path("approvals").asText();
                String head = what + " approved by " + by + " (" + approvals + "): ";
                if (!state.equals("pending")) {
                    yield head + (review ? "released" : "valid until " + seconds(doc.path("validUntil").asText()));
                }
                String[] n = approvals.split("/");
                int more = n.length == 2 ? Integer.parseInt(n[1]) - Integer.parseInt(n[0]) : 1;
                yield head + more + " more approval" + (more == 1 ? "" : "s") + " needed";
            }
            case "deny" -> what + " denied by " + by;
            case "revoke" -> what + " revoked by " + doc.path("revokedBy").asText();
            default -> what + " " + state;
        };
    }

    /** 45s, 5m, 3h, 2d. */
    static String age(String created, Instant now) {
        try {
            long seconds = Math.max(0, Duration.between(Instant.parse(created), now).toSeconds());
            return seconds < 60 ? seconds + "s" : seconds < 3600 ? seconds / 60 + "m"
                    : seconds < 86400 ? seconds / 3600 + "h" : seconds / 86400 + "d";
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    /** An RFC 3339 time to the second, for people. */
    private static String seconds(String instant) {
        try {
            return Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String when(String instant, Instant now) {
        try {
            Instant at = Instant.parse(instant);
            return seconds(instant) + (at.isAfter(now) ? " (in " + age(now.toString(), at) + ")"
                    : " (" + age(instant, now) + " ago)");
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name.isEmpty() ? "" : name + ":", clean(value));
    }

    /**
     * {@code text} without control characters (each shown as {@code ?}): a requester's reason or a resource name
     * must not move the reviewer's cursor, recolour or retitle their terminal.
     */
    public static String clean(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return clean.toString();
    }

    /** Who may approve: "groups [sre]", "users [ann]", or both. */
    public static String approvers(JsonNode requirement) {
        JsonNode groups = requirement.path("approverGroups");
        JsonNode users = requirement.path("approverUsers");
        String text = (groups.isEmpty() ? "" : "groups " + list(groups))
                + (users.isEmpty() ? "" : (groups.isEmpty() ? "" : ", ") + "users " + list(users));
        return clean(text.isEmpty() ? "nobody is named" : text);
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return "[" + String.join(", ", items) + "]";
    }

    private static void table(PrintWriter out, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                row.set(i, clean(row.get(i)));
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s   ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
