package dev.gatehouse.sandbox.kubectl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

/**
 * A kubeconfig for one server: its URL, the CA that signed its certificate (embedded; never
 * {@code insecure-skip-tls-verify}), either a bearer token or an exec credential plugin, and optionally a user to
 * impersonate with user extras (the user's {@code as} and {@code as-user-extra}; kubectl has a flag for the first
 * but none for the extras).
 *
 * @param server      e.g. {@code https://127.0.0.1:6443}
 * @param caPem       PEM of the CA kubectl must trust
 * @param token       bearer token, or null when {@code exec} is used
 * @param exec        exec plugin, or null when a token is used
 * @param namespace   the context's namespace, or null for default
 * @param as          user to impersonate ({@code Impersonate-User}), or null for none
 * @param asUserExtra user extras to send with the impersonation ({@code Impersonate-Extra-*}); empty for none
 */
public record Kubeconfig(String server, String caPem, String token, Exec exec, String namespace, String as,
                         Map<String, List<String>> asUserExtra) {
    public Kubeconfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(caPem, "caPem");
        if ((token == null) == (exec == null)) {
            throw new IllegalArgumentException("kubeconfig: exactly one of token and exec must be given");
        }
        asUserExtra = asUserExtra == null ? Map.of() : asUserExtra.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** A kubeconfig that impersonates nobody. */
    public Kubeconfig(String server, String caPem, String token, Exec exec, String namespace) {
        this(server, caPem, token, exec, namespace, null, Map.of());
    }

    /**
     * An exec credential plugin ({@code client.authentication.k8s.io/v1}).
     *
     * @param command the program
     * @param args    its arguments
     * @param env     extra environment variables
     */
    public record Exec(String command, List<String> args, Map<String, String> env) {
        public Exec {
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    /** The kubeconfig as YAML. */
    public String toYaml() {
        ObjectNode config = Json.object().put("apiVersion", "v1").put("kind", "Config");
        ObjectNode cluster = config.putArray("clusters").addObject().put("name", "gatehouse-test")
                .putObject("cluster");
        cluster.put("server", server).put("certificate-authority-data",
                Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
        ObjectNode user = config.putArray("users").addObject().put("name", "gatehouse-test-user").putObject("user");
        if (token != null) {
            user.put("token", token);
        } else {
            ObjectNode e = user.putObject("exec").put("apiVersion", "client.authentication.k8s.io/v1")
                    .put("command", exec.command()).put("interactiveMode", "Never");
            ArrayNode args = e.putArray("args");
            exec.args().forEach(args::add);
            ArrayNode env = e.putArray("env");
            new java.util.TreeMap<>(exec.env()).forEach((k, v) -> env.addObject().put("name", k).put("value", v));
        }
        if (as != null) {
            user.put("as", as);
        }
        if (!asUserExtra.isEmpty()) {
            ObjectNode extra = user.putObject("as-user-extra");
            new java.util.TreeMap<>(asUserExtra).forEach((k, vs) -> {
                ArrayNode values = extra.putArray(k);
                vs.forEach(values::add);
            });
        }
        ObjectNode context = config.putArray("contexts").addObject().put("name", "gatehouse-test")
                .putObject("context").put("cluster", "gatehouse-test").put("user", "gatehouse-test-user");
        if (namespace != null) {
            context.put("namespace", namespace);
        }
        config.put("current-context", "gatehouse-test");
        try {
            return Json.YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
