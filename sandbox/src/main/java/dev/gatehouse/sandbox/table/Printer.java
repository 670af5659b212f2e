package dev.gatehouse.sandbox.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The columns of one kind and how to fill a row from an object, after the apiserver's printers
 * ({@code pkg/printers/internalversion}). Cells are Strings, Integers or Longs.
 */
public interface Printer {
    List<Column> columns();

    List<Object> cells(ObjectNode object, Instant now);

    /** Row conditions ({@code Completed} for finished pods); none by default. */
    default List<String> completedConditions(ObjectNode object) {
        return List.of();
    }
}
