package dev.gatehouse.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig.ClusterConfig;

/**
 * Where a cluster is and the gateway's credential for it, resolved from the config: either a kubeconfig
 * context ({@code token}, {@code tokenFile}, or client certificate; CA inline or as a file) or an explicit
 * server, CA file and token file. {@code insecure-skip-tls-verify} and exec plugins are refused.
 *
 * @param tokenFile the token file to re-read on change, or null
 * @param token     a fixed token, or null
 */
public record ClusterTarget(String name, URI server, String caPem, Path tokenFile, String token,
                            String clientCertPem, String clientKeyPem) {

    public static ClusterTarget resolve(ClusterConfig c) {
        if (c.server() != null) {
            return new ClusterTarget(c.name(), URI.create(c.server()), read(c.caFile(), c.name() + ".caFile"),
                    c.tokenFile(), null, c.clientCertFile() == null ? null : read(c.clientCertFile(), c.name()),
                    c.clientKeyFile() == null ? null : read(c.clientKeyFile(), c.name()));
        }
        return fromKubeconfig(c.name(), c.kubeconfig(), c.context());
    }

    static ClusterTarget fromKubeconfig(String name, Path file, String contextName) {
        String at = "clusters[" + name + "].kubeconfig " + file;
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(at + ": cannot read (" + e.getMessage() + ")");
        }
        String ctxName = contextName != null ? contextName : root.path("current-context").asText(null);
        if (ctxName == null) {
            throw new ConfigException(at + ": no context given and no current-context");
        }
        JsonNode ctx = named(root, "contexts", ctxName, at).path("context");
        JsonNode cluster = named(root, "clusters", ctx.path("cluster").asText(), at).path("cluster");
        JsonNode user = named(root, "users", ctx.path("user").asText(), at).path("user");
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
            throw new ConfigException(at + ": insecure-skip-tls-verify is not accepted; give the cluster's CA");
        }
        if (user.has("exec") || user.has("auth-provider")) {
            throw new ConfigException(at + ": user \"" + ctx.path("user").asText()
                    + "\" uses an exec or auth-provider plugin (expected: token, tokenFile or client certificate)");
        }
        Path dir = file.toAbsolutePath().getParent();
        String ca = inlineOrFile(cluster, "certificate-authority-data", "certificate-authority", dir, at);
        if (ca == null) {
            throw new ConfigException(at + ": cluster has no certificate-authority(-data); the CA must be pinned");
        }
        String tokenFile = user.path("tokenFile").asText(null);
        return new ClusterTarget(name, URI.create(cluster.path("server").asText()), ca,
                tokenFile == null ? null : dir.resolve(tokenFile), user.path("token").asText(null),
                inlineOrFile(user, "client-certificate-data", "client-certificate", dir, at),
                inlineOrFile(user, "client-key-data", "client-key", dir, at));
    }

    private static JsonNode named(JsonNode root, String list, String name, String at) {
        for (JsonNode item : root.path(list)) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new ConfigException(at + ": no entry \"" + name + "\" in " + list);
    }

    private static String inlineOrFile(JsonNode node, String dataKey, String fileKey, Path dir, String at) {
        if (node.hasNonNull(dataKey)) {
            return new String(Base64.getDecoder().decode(node.get(dataKey).asText()), StandardCharsets.UTF_8);
        }
        if (node.hasNonNull(fileKey)) {
            return read(dir.resolve(node.get(fileKey).asText()), at + " " + fileKey);
        }
        return null;
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read " + file, e);
        }
    }
}
