package dev.gatehouse.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the policy comes from and how often it is re-read.
 *
 * @param file           a policy file, or a directory of {@code *.yaml} / {@code *.yml} files read in file-name
 *                       order; null for the built-in {@code policy/default.yaml}
 * @param reloadInterval how often the file is checked for changes; {@link Duration#ZERO} never
 */
public record PolicySettings(Path file, Duration reloadInterval) {
    /** The default check interval. */
    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(5);

    public PolicySettings {
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("policy.reloadInterval: " + reloadInterval + " (expected: >= 0)");
        }
    }

    /** The built-in default policy, never reloaded. */
    public static PolicySettings builtIn() {
        return new PolicySettings(null, Duration.ZERO);
    }
}
