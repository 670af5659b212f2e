package dev.gatehouse.sandbox.kubectl;

import java.util.List;

/**
 * How a kubectl run ended.
 *
 * @param exitCode the exit code; -1 when it was killed after its timeout (or, for a started command, could not
 *                 be stopped)
 * @param stdout   standard output
 * @param stderr   standard error
 * @param timedOut whether the run hit its timeout
 */
public record KubectlResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
    public KubectlResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Standard output split into lines, without the trailing empty one. */
    public List<String> stdoutLines() {
        return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
    }

    /** Everything about the run, for assertion messages. */
    @Override
    public String toString() {
        return "kubectl " + String.join(" ", command) + " -> exit " + exitCode + (timedOut ? " (timed out)" : "")
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
