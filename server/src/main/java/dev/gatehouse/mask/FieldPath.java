package dev.gatehouse.mask;

import java.util.ArrayList;
import java.util.List;

/**
 * A field path of a masking rule, parsed: field names separated by {@code .}, where {@code *} is any one field,
 * {@code **} any number of fields (none included), {@code [*]} after a name marks an array (arrays are always looked
 * through, so it is optional) and {@code ["a.b/c"]} names a field that holds dots (an annotation key). Names match
 * case-insensitively, as Go's JSON decoder does. Examples: {@code spec.containers[*].env[*].value}, {@code data.*},
 * {@code **.env[*].value}, {@code metadata.annotations["example.com/token"]}.
 *
 * @param text     the path as written
 * @param segments lower-case field names, {@code *} or {@code **}
 */
public record FieldPath(String text, List<String> segments) {
    public FieldPath {
        segments = List.copyOf(segments);
    }

    /** @throws IllegalArgumentException naming what is wrong, with the path */
    public static FieldPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(text, "it is empty");
        }
        List<String> segments = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            String segment;
            if (text.charAt(i) == '[') {
                int close = text.indexOf("\"]", i + 2);
                if (!text.startsWith("[\"", i) || close < 0 || close == i + 2) {
                    throw bad(text, "a bracket at " + i + " opens neither [*] nor [\"name\"]");
                }
                segment = text.substring(i + 2, close);
                if (segment.indexOf('"') >= 0) {
                    throw bad(text, "a quoted name holds a quote");
                }
                i = close + 2;
            } else {
                int end = i;
                while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                segment = text.substring(i, end);
                if (segment.isEmpty()) {
                    throw bad(text, "an empty field name at " + i);
                }
                for (char c : segment.toCharArray()) {
                    if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '*' || c == '$' || c == '/')
                            || c > 127) {
                        throw bad(text, "'" + c + "' in a field name (quote such names: [\"a.b/c\"])");
                    }
                }
                if (segment.contains("*") && !segment.equals("*") && !segment.equals("**")) {
                    throw bad(text, "\"" + segment + "\": * stands alone (any one field) or as ** (any number)");
                }
                i = end;
            }
            segments.add(segment.equals("*") || segment.equals("**") ? segment : MaskPlan.fold(segment));
            while (text.startsWith("[*]", i)) {
                i += 3;
            }
            if (i < n) {
                if (text.charAt(i) == '.') {
                    i++;
                    if (i == n) {
                        throw bad(text, "it ends with '.'");
                    }
                } else if (text.charAt(i) != '[') {
                    throw bad(text, "unexpected '" + text.charAt(i) + "' at " + i);
                }
            }
        }
        if (segments.get(segments.size() - 1).equals("**")) {
            throw bad(text, "it ends with ** (a path names the fields it masks; end it with * to mask everything"
                    + " below)");
        }
        return new FieldPath(text, segments);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\": " + why + " (expected: field names separated by '.',"
                + " * for any one field, ** for any number, [*] for arrays, [\"a.b\"] for a name with dots)");
    }

    @Override
    public String toString() {
        return text;
    }
}
