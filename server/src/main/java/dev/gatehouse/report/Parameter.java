package dev.gatehouse.report;

/**
 * One parameter a report takes beside its period.
 *
 * @param name        as it is spelled in the API's query and as the CLI's {@code name=value}
 * @param required    whether the report refuses to run without it
 * @param description one sentence, shown by {@code gatehouse report list} and the API's catalogue
 */
public record Parameter(String name, boolean required, String description) {
    public static Parameter required(String name, String description) {
        return new Parameter(name, true, description);
    }

    public static Parameter optional(String name, String description) {
        return new Parameter(name, false, description);
    }
}
