package dev.gatehouse.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of an answer: its cells (never null; an absent value is the empty string) and the log position of the
 * event it rests on (for rows that summarize many events, the latest of them), which orders the rows.
 */
public record Row(long seq, List<String> cells) {
    public Row {
        List<String> copy = new ArrayList<>(cells.size());
        for (String cell : cells) {
            copy.add(cell == null ? "" : cell);
        }
        cells = List.copyOf(copy);
    }

    /** A row of {@code cells} (null or non-string values are written as text, null as ""). */
    public static Row of(long seq, Object... cells) {
        List<String> text = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            text.add(cell == null ? "" : cell.toString());
        }
        return new Row(seq, text);
    }
}
