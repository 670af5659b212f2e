package dev.gatehouse.bench.load;

/** Whole-number option values of the focused benches, refused with the option's name and what was expected. */
final class OptionNumbers {
    private OptionNumbers() {
    }

    static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": 0 (expected: a positive number)");
        }
        return n;
    }

    static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: a number >= 0)");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: a number)");
        }
    }
}
