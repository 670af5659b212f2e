package dev.gatehouse.config;

import java.util.regex.Pattern;

/**
 * What a cluster's host name ({@code clusters[].hostNames}) may be: a lower-case DNS name of at least two labels,
 * each a DNS label (letters, digits, '-', not at either end, at most 63), at most 253 characters, whose last label
 * is not all digits (so no IP address), without a wildcard, a trailing dot or a port. Requests are matched against
 * it after their {@code Host} is lower-cased and stripped of its port and one trailing dot.
 */
public final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /** Why {@code host} is not a usable host name, or null when it is. */
    public static String problem(String host) {
        if (host == null || host.isEmpty()) {
            return "(expected: a DNS name such as prod.gatehouse.example.com)";
        }
        if (host.length() > 253) {
            return "(expected: a DNS name of at most 253 characters)";
        }
        if (!host.equals(host.toLowerCase(java.util.Locale.ROOT))) {
            return "(expected: a lower-case DNS name; host names match case-insensitively)";
        }
        if (host.endsWith(".")) {
            return "(expected: no trailing dot; requests naming the host with one match anyway)";
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return "(expected: a DNS name of at least two labels, such as prod.gatehouse.example.com)";
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "(expected: a DNS name: labels of lower-case letters, digits and '-', no wildcard, no port)";
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return "(expected: a DNS name, not an IP address)";
        }
        return null;
    }
}
