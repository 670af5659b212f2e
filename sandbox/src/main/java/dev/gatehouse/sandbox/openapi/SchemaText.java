package dev.gatehouse.sandbox.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code schemas.txt}, the compact hand-written description of the kinds the sandbox serves (see the header of
 * that file for its format), into {@link Schema}s keyed by full OpenAPI name
 * ({@code io.k8s.api.core.v1.Pod}).
 */
final class SchemaText {
    private static final Map<String, String> PREFIXES = Map.of(
            "meta.", "io.k8s.apimachinery.pkg.apis.meta.v1.",
            "core.", "io.k8s.api.core.v1.",
            "apps.", "io.k8s.api.apps.v1.",
            "batch.", "io.k8s.api.batch.v1.",
            "rbac.", "io.k8s.api.rbac.v1.");

    /** A field: name, type expression (full names expanded), description, whether required. */
    record Field(String name, String type, String description, boolean required) {
    }

    /** A schema and, for top-level kinds, its group, version and kind. */
    record Schema(String name, String description, String group, String version, String kind, List<Field> fields) {
        boolean isKind() {
            return kind != null;
        }
    }

    private SchemaText() {
    }

    static Map<String, Schema> load() {
        try (InputStream in = SchemaText.class.getResourceAsStream("/dev/gatehouse/sandbox/openapi/schemas.txt")) {
            if (in == null) {
                throw new IllegalStateException("schemas.txt is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Schema> parse(String text) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        String name = null;
        String description = "";
        String[] gvk = null;
        List<Field> fields = new ArrayList<>();
        for (String line : (text + "\nschema END").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("schema ")) {
                if (name != null) {
                    schemas.put(name, new Schema(name, description, gvk == null ? null : gvk[0],
                            gvk == null ? null : gvk[1], gvk == null ? null : gvk[2], List.copyOf(fields)));
                }
                String[] parts = trimmed.substring(7).trim().split("\\s+");
                name = expand(parts[0]);
                gvk = parts.length > 1 && parts[1].startsWith("gvk=") ? parts[1].substring(4).split(",", -1) : null;
                description = "";
                fields.clear();
            } else if (trimmed.startsWith("= ")) {
                description = trimmed.substring(2);
            } else if (trimmed.startsWith("- ")) {
                fields.add(field(trimmed.substring(2)));
            } else {
                throw new IllegalArgumentException("schemas.txt: cannot read line: " + line);
            }
        }
        return schemas;
    }

    private static Field field(String spec) {
        int colon = spec.indexOf(": ");
        String[] head = spec.substring(0, colon).trim().split("\\s+");
        boolean required = head[0].endsWith("!");
        String name = required ? head[0].substring(0, head[0].length() - 1) : head[0];
        return new Field(name, expandType(head[1]), spec.substring(colon + 2).trim(), required);
    }

    private static String expandType(String type) {
        if (type.startsWith("[]")) {
            return "[]" + expandType(type.substring(2));
        }
        if (type.startsWith("map[") && type.endsWith("]")) {
            return "map[" + expandType(type.substring(4, type.length() - 1)) + "]";
        }
        return expand(type);
    }

    private static String expand(String name) {
        for (Map.Entry<String, String> p : PREFIXES.entrySet()) {
            if (name.startsWith(p.getKey())) {
                return p.getValue() + name.substring(p.getKey().length());
            }
        }
        return name;
    }
}
