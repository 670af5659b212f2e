package dev.gatehouse.sandbox.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The form a client asked for in its Accept header: the objects themselves, a {@code meta.k8s.io Table}, or
 * {@code PartialObjectMetadata}. Media types are tried in the order given; the first the sandbox can produce wins
 * (it always answers in JSON, so protobuf-only alternatives are skipped).
 *
 * @param form         what to send
 * @param metaVersion  {@code v1} or {@code v1beta1} for tables and partial metadata
 */
record Representation(Form form, String metaVersion) {
    enum Form { OBJECT, TABLE, PARTIAL_METADATA }

    static final Representation OBJECT = new Representation(Form.OBJECT, "v1");

    static Representation negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return OBJECT;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.equals("*/*") && !type.equals("application/*")) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2) {
                    params.put(kv[0].trim().toLowerCase(Locale.ROOT), kv[1].trim());
                }
            }
            String as = params.get("as");
            if (as == null) {
                return OBJECT;
            }
            String version = params.getOrDefault("v", "");
            boolean meta = "meta.k8s.io".equals(params.get("g")) && (version.equals("v1") || version.equals("v1beta1"));
            if (meta && as.equals("Table")) {
                return new Representation(Form.TABLE, version);
            }
            if (meta && (as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))) {
                return new Representation(Form.PARTIAL_METADATA, version);
            }
        }
        return OBJECT;
    }
}
