package dev.gatehouse.policy;

import java.util.Objects;

/**
 * What a loaded policy is, for logs, audit events and metrics.
 *
 * @param source    the file, directory or classpath resource it was read from
 * @param sha256    hex SHA-256 over its files (names and contents, in load order)
 * @param rules     how many rules it has
 * @param defaultDecision allow, deny or review: what applies when no rule matches
 */
public record PolicySummary(String source, String sha256, int rules, String defaultDecision) {
    public PolicySummary {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(defaultDecision, "defaultDecision");
    }

    @Override
    public String toString() {
        return "policy " + source + ": " + rules + (rules == 1 ? " rule" : " rules") + ", default " + defaultDecision
                + ", sha256 " + sha256;
    }
}
