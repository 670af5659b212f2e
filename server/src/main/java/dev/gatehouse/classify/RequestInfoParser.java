package dev.gatehouse.classify;

import java.util.List;
import java.util.Set;

import dev.gatehouse.status.GatewayException;

/**
 * Classifies a request path and query the way the apiserver's {@code RequestInfoFactory} does, after
 * {@link PathGuard} has refused every path the apiserver could decode or route differently.
 * Classification is never a guess: what cannot be read unambiguously is refused with 400.
 */
public final class RequestInfoParser {
    private static final Set<String> API_PREFIXES = Set.of("api", "apis");
    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    private static final Set<String> SESSION_SUBRESOURCES = Set.of("exec", "attach", "portforward");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /**
     * @param cluster the target cluster's name
     * @param method  the HTTP method
     * @param path    the path as the cluster will receive it, already checked by {@link PathGuard}
     * @param query   the parsed query
     */
    public RequestInfo parse(String cluster, String method, String path, Query query) {
        List<String> parts = PathGuard.segments(path);
        String methodVerb = method.toLowerCase(java.util.Locale.ROOT);
        if (parts.size() < 3 || !API_PREFIXES.contains(parts.get(0))) {
            return RequestInfo.nonResource(cluster, path, methodVerb);
        }
        String prefix = parts.get(0);
        int i = 1;
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.size() - i < 3) {
                return RequestInfo.nonResource(cluster, path, methodVerb);
            }
            group = parts.get(i++);
        }
        String version = parts.get(i++);
        String verb;
        if (SPECIAL_VERBS.contains(parts.get(i))) {
            if (parts.size() - i < 2) {
                throw GatewayException.badRequest("cannot determine resource and namespace from path " + path);
            }
            verb = parts.get(i++);
        } else {
            verb = switch (method) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> throw GatewayException.methodNotAllowed(method);
            };
        }
        String namespace = "";
        List<String> rest = parts.subList(i, parts.size());
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";

        if (name.isEmpty() && verb.equals("get")) {
            verb = query.flag("watch") ? "watch" : "list";
            name = query.fieldSelectorName();
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        if (verb.equals("get") && resource.equals("pods") && SESSION_SUBRESOURCES.contains(subresource)) {
            // A WebSocket exec, attach or port-forward is a GET, but it runs a command or opens a connection: it is
            // authorized as create on the subresource, as the apiserver does since 1.35, never as a read.
            verb = "create";
        }
        return new RequestInfo(cluster, path, true, verb, prefix, group, version, namespace, resource, subresource,
                name);
    }
}
