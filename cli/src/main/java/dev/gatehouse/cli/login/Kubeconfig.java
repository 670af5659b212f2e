package dev.gatehouse.cli.login;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * Adds or updates, in a kubeconfig file, one context per cluster behind a gateway: cluster
 * {@code gatehouse-<name>} at the URL the gateway names for it (its host name, or the gateway's root for the default
 * cluster: URLs at which {@code kubectl get --raw /...} works) or else {@code <gateway>/clusters/<name>}, with the
 * gateway's CA embedded (never {@code insecure-skip-tls-verify}), and a user {@code gatehouse@<gateway host>} whose
 * credential comes from the exec plugin {@code gatehouse credential --server <gateway>}. Other entries are left as
 * they are.
 */
final class Kubeconfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private Kubeconfig() {
    }

    /** The kubeconfig to write: {@code --kubeconfig}, else the first of {@code $KUBECONFIG}, else ~/.kube/config. */
    static Path defaultPath() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env.split(java.io.File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    /** Every cluster at {@code <server>/clusters/<name>}; @return the context names written */
    static List<String> write(Path file, String server, String caPem, List<String> clusters, List<String> execCommand) {
        return write(file, server, caPem, clusters, java.util.Map.of(), execCommand);
    }

    /**
     * @param servers the URL the gateway names for each cluster; a cluster it names none for (or an unusable one,
     *                see {@link #usableServer}) is written at {@code <server>/clusters/<name>}
     * @return the context names written
     */
    static List<String> write(Path file, String server, String caPem, List<String> clusters,
                              java.util.Map<String, String> servers, List<String> execCommand) {
        ObjectNode root = read(file);
        root.put("apiVersion", "v1").put("kind", "Config");
        String host = URI.create(server).getHost();
        String user = "gatehouse@" + host;
        ObjectNode exec = YAML.createObjectNode();
        exec.put("apiVersion", "client.authentication.k8s.io/v1");
        exec.put("command", execCommand.get(0));
        ArrayNode args = exec.putArray("args");
        execCommand.subList(1, execCommand.size()).forEach(args::add);
        args.add("credential").add("--server").add(server);
        exec.put("interactiveMode", "IfAvailable");
        exec.put("provideClusterInfo", false);
        upsert(root, "users", user, "user", YAML.createObjectNode().set("exec", exec));
        List<String> contexts = new java.util.ArrayList<>();
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        for (String cluster : clusters) {
            String name = "gatehouse-" + cluster;
            String named = servers.get(cluster);
            ObjectNode c = YAML.createObjectNode().put("server", named != null && usableServer(named) ? named
                    : base + "/clusters/" + cluster);
            if (caPem != null) {
                c.put("certificate-authority-data", Base64.getEncoder().encodeToString(caPem.getBytes()));
            }
            upsert(root, "clusters", name, "cluster", c);
            upsert(root, "contexts", name, "context", YAML.createObjectNode().put("cluster", name).put("user", user));
            contexts.add(name);
        }
        if (root.path("current-context").asText("").isEmpty() && !contexts.isEmpty()) {
            root.put("current-context", contexts.get(0));
        }
        try {
            TokenCache.writePrivate(file, YAML.writeValueAsString(root));
        } catch (IOException e) {
            throw new LoginException("cannot write " + file + ": " + e.getMessage());
        }
        return contexts;
    }

    /** An https URL with a host, an optional port and path, and nothing else (no user info, query, fragment). */
    static boolean usableServer(String url) {
        try {
            URI uri = new URI(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    || uri.getRawPath().matches("/clusters/[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void upsert(ObjectNode root, String list, String name, String field, JsonNode value) {
        ArrayNode items = root.has(list) && root.get(list).isArray() ? (ArrayNode) root.get(list) : root.putArray(list);
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText())) {
                ((ObjectNode) item).set(field, value);
                return;
            }
        }
        items.addObject().put("name", name).set(field, value);
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return YAML.createObjectNode();
        }
        try {
            JsonNode n = YAML.readTree(file.toFile());
            return n instanceof ObjectNode o ? o : YAML.createObjectNode();
        } catch (IOException e) {
            throw new LoginException("cannot read the kubeconfig " + file + ": " + e.getMessage());
        }
    }
}
