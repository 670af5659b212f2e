package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A YAML mapping with its key path, so every error names the setting ({@code authentication.oidc[1].issuerUrl})
 * and states what was expected. Relative paths resolve against the config file's directory.
 */
final class ConfigNode {
    private final JsonNode node;
    private final String at;
    private final Path base;

    ConfigNode(JsonNode node, String at, Path base) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new ConfigException(name(at) + ": expected a mapping");
        }
        this.node = node;
        this.at = at;
        this.base = base;
    }

    /** The config file's directory. */
    Path base() {
        return base;
    }

    boolean present() {
        return node != null && !node.isNull();
    }

    boolean has(String key) {
        return present() && node.hasNonNull(key);
    }

    /** The full name of {@code key} in this mapping. */
    String key(String key) {
        return at + key;
    }

    /** Refuses keys not in {@code allowed}. */
    ConfigNode allow(String... allowed) {
        if (!present()) {
            return this;
        }
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ok.contains(key)) {
                throw new ConfigException(at + key + ": unknown setting (expected one of " + List.of(allowed) + ")");
            }
        }
        return this;
    }

    ConfigNode child(String key) {
        return new ConfigNode(present() ? node.get(key) : null, at + key + ".", base);
    }

    List<ConfigNode> children(String key) {
        List<ConfigNode> out = new ArrayList<>();
        JsonNode list = present() ? node.get(key) : null;
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new ConfigException(at + key + ": expected a list");
        }
        for (int i = 0; i < list.size(); i++) {
            out.add(new ConfigNode(list.get(i), at + key + "[" + i + "].", base));
        }
        return out;
    }

    String text(String key, String fallback) {
        JsonNode v = present() ? node.get(key) : null;
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(at + key + ": expected a string");
        }
        return v.asText();
    }

    String requiredText(String key) {
        String v = text(key, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException(at + key + ": required");
        }
        return v;
    }

    int integer(String key, int fallback) {
        JsonNode v = present() ? node.get(key) : null;
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt()) {
            throw new ConfigException(at + key + ": " + v + " (expected: a whole number)");
        }
        return v.asInt();
    }

    Path path(String key) {
        String v = text(key, null);
        if (v == null) {
            return null;
        }
        String expanded = v.startsWith("~/") ? System.getProperty("user.home") + v.substring(1) : v;
        return base.resolve(expanded).normalize();
    }

    Path requiredPath(String key) {
        Path p = path(key);
        if (p == null) {
            throw new ConfigException(at + key + ": required");
        }
        return p;
    }

    Duration duration(String key, Duration fallback) {
        String v = text(key, null);
        if (v == null) {
            return fallback;
        }
        Duration d = Durations.parse(v);
        if (d == null) {
            throw new ConfigException(at + key + ": \"" + v + "\" (" + Durations.EXPECTED + ")");
        }
        return d;
    }

    List<String> strings(String key) {
        JsonNode v = present() ? node.get(key) : null;
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(at + key + ": expected a list of strings");
        }
        v.forEach(item -> {
            if (!item.isValueNode()) {
                throw new ConfigException(at + key + ": expected a list of strings");
            }
            out.add(item.asText());
        });
        return out;
    }

    /** The keys of this mapping, in order (none when absent). */
    List<String> fieldNames() {
        List<String> names = new java.util.ArrayList<>();
        if (present()) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    Map<String, String> stringMap(String key) {
        JsonNode v = present() ? node.get(key) : null;
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new ConfigException(at + key + ": expected a mapping of strings");
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(at + key + "." + e.getKey() + ": expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static String name(String at) {
        return at.endsWith(".") ? at.substring(0, at.length() - 1) : at;
    }
}
