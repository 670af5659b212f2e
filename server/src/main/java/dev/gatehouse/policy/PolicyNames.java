package dev.gatehouse.policy;

/** What names in a policy may look like: the shapes the apiserver uses, checked once at load. */
final class PolicyNames {
    private PolicyNames() {
    }

    /** A verb: lower-case letters (get, list, watch, create, update, patch, delete, deletecollection, escalate, ...). */
    static boolean verb(String s) {
        return !s.isEmpty() && s.length() <= 63 && s.chars().allMatch(c -> c >= 'a' && c <= 'z');
    }

    /** A resource or subresource as in the API path: lower-case letters, digits, '-' and '.'. */
    static boolean resource(String s) {
        return !s.isEmpty() && s.length() <= 253 && s.chars().allMatch(PolicyNames::lowerDnsChar);
    }

    /** An API group: "" (core) or a lower-case DNS subdomain. */
    static boolean apiGroup(String s) {
        return s.length() <= 253 && s.chars().allMatch(PolicyNames::lowerDnsChar);
    }

    /** A namespace: "" (cluster-scoped) or a DNS label. */
    static boolean namespace(String s) {
        return s.length() <= 63 && s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }

    /** A rule's name: letters, digits, '-', '_', '.', ':', starting with a letter or digit, at most 100 long. */
    static boolean rule(String s) {
        if (s.isEmpty() || s.length() > 100 || !Character.isLetterOrDigit(s.charAt(0)) || s.charAt(0) > 127) {
            return false;
        }
        return s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == ':');
    }

    private static boolean lowerDnsChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }
}
