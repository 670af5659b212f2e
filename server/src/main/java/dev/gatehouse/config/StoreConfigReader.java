package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the {@code store} block of {@code gatehouse.yaml}; strict like the rest ({@link ConfigLoader}). */
final class StoreConfigReader {
    private StoreConfigReader() {
    }

    static StoreConfig read(ConfigNode node) {
        if (!node.present()) {
            return StoreConfig.embedded();
        }
        node.allow("kind", "url", "user", "passwordFile", "schema");
        String kind = node.text("kind", "embedded");
        StoreConfig.Kind parsed = switch (kind) {
            case "embedded" -> StoreConfig.Kind.EMBEDDED;
            case "postgres" -> StoreConfig.Kind.POSTGRES;
            default -> throw new ConfigException(node.key("kind") + ": \"" + kind
                    + "\" (expected: embedded or postgres)");
        };
        Path passwordFile = node.path("passwordFile");
        if (passwordFile != null && !Files.isRegularFile(passwordFile)) {
            throw new ConfigException(node.key("passwordFile") + ": " + passwordFile + " is not a readable file");
        }
        try {
            return new StoreConfig(parsed, node.text("url", null), node.text("user", null), passwordFile,
                    node.text("schema", null));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
