package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.mask.FieldPath;
import dev.gatehouse.mask.FieldRule;
import dev.gatehouse.mask.MaskingSettings;
import dev.gatehouse.mask.ResourcePattern;
import dev.gatehouse.mask.detect.DetectionSettings;

/**
 * Reads {@code masking} (docs/MASKING.md): the field rules (added to the shipped ones unless
 * {@code defaultRules: false}) and where the detectors run. Every error names the entry
 * ({@code masking.rules[1] ("cm").paths[0]: ...}).
 */
final class MaskingConfigReader {
    private MaskingConfigReader() {
    }

    static MaskingSettings read(ConfigNode masking) {
        if (!masking.present()) {
            return MaskingSettings.defaults();
        }
        masking.allow("defaultRules", "rules", "detectors");
        List<FieldRule> rules = new ArrayList<>();
        if (bool(masking, "defaultRules", true)) {
            rules.addAll(MaskingSettings.DEFAULT_RULES);
        }
        for (ConfigNode node : masking.children("rules")) {
            rules.add(rule(node));
        }
        ConfigNode detectors = masking.child("detectors").allow("json", "resources", "podLogs", "sessionRecordings");
        List<ResourcePattern> resources = null;
        if (detectors.has("resources")) {
            resources = new ArrayList<>();
            List<String> listed = detectors.strings("resources");
            for (int i = 0; i < listed.size(); i++) {
                resources.add(pattern(listed.get(i), detectors.key("resources") + "[" + i + "]"));
            }
        }
        try {
            return new MaskingSettings(rules, bool(detectors, "json", true), resources,
                    new DetectionSettings(bool(detectors, "podLogs", true), bool(detectors, "sessionRecordings", true)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().startsWith("masking.") ? e.getMessage()
                    : "masking.rules: " + e.getMessage());
        }
    }

    private static FieldRule rule(ConfigNode node) {
        if (!node.present()) {
            throw new ConfigException(node.key("").replaceAll("\\.$", "") + ": expected a mapping");
        }
        node.allow("name", "resources", "selector", "paths");
        String name = node.text("name", null);
        String at = node.key("").replaceAll("\\.$", "") + (name == null ? "" : " (\"" + name + "\")");
        if (name == null) {
            throw new ConfigException(at + ".name: required");
        }
        List<ResourcePattern> resources = new ArrayList<>();
        List<String> listed = node.strings("resources");
        for (int i = 0; i < listed.size(); i++) {
            resources.add(pattern(listed.get(i), at + ".resources[" + i + "]"));
        }
        List<FieldPath> paths = new ArrayList<>();
        List<String> pathTexts = node.strings("paths");
        for (int i = 0; i < pathTexts.size(); i++) {
            try {
                paths.add(FieldPath.parse(pathTexts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + ".paths[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new FieldRule(name, resources, node.stringMap("selector"), paths);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + "." + e.getMessage());
        }
    }

    private static ResourcePattern pattern(String text, String at) {
        try {
            return ResourcePattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ": " + e.getMessage());
        }
    }

    private static boolean bool(ConfigNode node, String key, boolean fallback) {
        String v = node.text(key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(node.key(key) + ": \"" + v + "\" (expected: true or false)");
        }
        return v.equals("true");
    }
}
