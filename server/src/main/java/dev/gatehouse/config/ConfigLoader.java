package dev.gatehouse.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads {@code gatehouse.yaml}. Strict: unknown keys, wrong types and missing settings are errors naming the
 * key ({@code clusters[1].server: ...}). Relative paths are resolved against the config file's directory.
 */
public final class ConfigLoader {
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> MODES = Set.of("impersonate", "issued-token");
    private final Path base;

    private ConfigLoader(Path base) {
        this.base = base;
    }

    public static GatehouseConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping at the top level");
        }
        return new ConfigLoader(file.toAbsolutePath().getParent()).read(root);
    }

    GatehouseConfig read(JsonNode root) {
        keys(root, "", "listen", "dataDir", "maxStreamDuration", "upstreamTimeout", "authentication", "clusters");
        JsonNode listen = object(root, "listen");
        keys(listen, "listen.", "address", "port", "certFile", "keyFile");
        int port = listen.path("port").asInt(8443);
        if (port < 1 || port > 65535) {
            throw new ConfigException("listen.port: " + listen.path("port") + " (expected: 1..65535)");
        }
        GatehouseConfig.ListenConfig listenConfig = new GatehouseConfig.ListenConfig(
                text(listen, "address", "listen.", "0.0.0.0"), port,
                requiredPath(listen, "certFile", "listen."), requiredPath(listen, "keyFile", "listen."));
        JsonNode authn = object(root, "authentication");
        keys(authn, "authentication.", "staticTokenFile");
        GatehouseConfig.AuthenticationConfig authConfig =
                new GatehouseConfig.AuthenticationConfig(path(authn, "staticTokenFile", "authentication."));
        if (authConfig.staticTokenFile() == null) {
            throw new ConfigException("authentication: no authentication method configured "
                    + "(expected: authentication.staticTokenFile)");
        }
        JsonNode clustersNode = root.path("clusters");
        if (!clustersNode.isArray() || clustersNode.isEmpty()) {
            throw new ConfigException("clusters: expected a non-empty list of clusters");
        }
        List<GatehouseConfig.ClusterConfig> clusters = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < clustersNode.size(); i++) {
            GatehouseConfig.ClusterConfig c = cluster(clustersNode.get(i), "clusters[" + i + "].");
            if (!names.add(c.name())) {
                throw new ConfigException("clusters[" + i + "].name: \"" + c.name() + "\" is used twice");
            }
            clusters.add(c);
        }
        Path dataDir = path(root, "dataDir", "");
        return new GatehouseConfig(listenConfig, dataDir == null ? base.resolve("data") : dataDir,
                duration(root, "maxStreamDuration", Duration.ofHours(4)),
                duration(root, "upstreamTimeout", Duration.ofSeconds(60)), authConfig, clusters);
    }

    private static Duration duration(JsonNode root, String key, Duration fallback) {
        if (!root.has(key)) {
            return fallback;
        }
        Duration d;
        try {
            d = Duration.parse(root.get(key).asText());
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": " + root.get(key) + " (expected: an ISO-8601 duration such as PT4H)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": " + d + " (expected: > 0)");
        }
        return d;
    }

    private GatehouseConfig.ClusterConfig cluster(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new ConfigException(at.substring(0, at.length() - 1) + ": expected a mapping");
        }
        keys(node, at, "name", "kubeconfig", "context", "server", "caFile", "tokenFile", "clientCertFile",
                "clientKeyFile", "credentialMode");
        String name = text(node, "name", at, null);
        if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
            throw new ConfigException(at + "name: " + node.path("name")
                    + " (expected: a DNS label, lower-case letters, digits and '-')");
        }
        String mode = text(node, "credentialMode", at, "impersonate");
        if (!MODES.contains(mode)) {
            throw new ConfigException(at + "credentialMode: \"" + mode + "\" (expected: one of " + MODES + ")");
        }
        Path kubeconfig = path(node, "kubeconfig", at);
        String server = text(node, "server", at, null);
        if ((kubeconfig == null) == (server == null)) {
            throw new ConfigException(at + "kubeconfig and " + at + "server: exactly one must be set");
        }
        Path ca = path(node, "caFile", at);
        Path token = path(node, "tokenFile", at);
        Path cert = path(node, "clientCertFile", at);
        Path key = path(node, "clientKeyFile", at);
        if (server != null) {
            if (!server.startsWith("https://")) {
                throw new ConfigException(at + "server: \"" + server + "\" (expected: an https:// URL)");
            }
            if (ca == null) {
                throw new ConfigException(at + "caFile: required with " + at + "server (the cluster's CA is pinned)");
            }
            if ((token == null) == (cert == null)) {
                throw new ConfigException(at + "tokenFile or " + at + "clientCertFile: exactly one must be set");
            }
            if ((cert == null) != (key == null)) {
                throw new ConfigException(at + "clientCertFile and " + at + "clientKeyFile must be set together");
            }
        }
        return new GatehouseConfig.ClusterConfig(name, kubeconfig, text(node, "context", at, null), server, ca, token,
                cert, key, mode);
    }

    private static void keys(JsonNode node, String at, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ok.contains(key)) {
                throw new ConfigException(at + key + ": unknown setting (expected one of " + List.of(allowed) + ")");
            }
        }
    }

    private static JsonNode object(JsonNode root, String key) {
        JsonNode node = root.path(key);
        if (!node.isObject()) {
            throw new ConfigException(key + ": expected a mapping");
        }
        return node;
    }

    private static String text(JsonNode node, String key, String at, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(at + key + ": expected a string");
        }
        return v.asText();
    }

    private Path path(JsonNode node, String key, String at) {
        String v = text(node, key, at, null);
        if (v == null) {
            return null;
        }
        String expanded = v.startsWith("~/") ? System.getProperty("user.home") + v.substring(1) : v;
        return base.resolve(expanded).normalize();
    }

    private Path requiredPath(JsonNode node, String key, String at) {
        Path p = path(node, key, at);
        if (p == null) {
            throw new ConfigException(at + key + ": required");
        }
        return p;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
