package dev.gatehouse.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/** Policies, identities and requests for the tests, written the short way. */
final class Policies {
    static final String HEADER = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: [sre], approvals: 1}
            rules:
            """;

    private Policies() {
    }

    /** A policy with the {@link #HEADER} (default allow, reviewer set sre) and these rules (a YAML list). */
    static RulePolicy withRules(String rules) {
        return PolicyLoader.parse("policy.yaml", (HEADER + rules).getBytes(StandardCharsets.UTF_8));
    }

    static RulePolicy parse(String yaml) {
        return PolicyLoader.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static Identity user(String name, String... groups) {
        return new Identity(name, "", List.of(groups), "tokens.csv", AuthenticationMethod.STATIC_TOKEN, List.of(),
                Map.of(), "", null);
    }

    static Identity oidc(String name, String issuer, Map<String, String> claims, List<String> actors,
                         String... groups) {
        return new Identity(name, "uid-" + name, List.of(groups), issuer,
                actors.isEmpty() ? AuthenticationMethod.OIDC : AuthenticationMethod.DELEGATED,
                actors.stream().map(a -> new Identity.Actor(a, issuer)).toList(), claims, "jti-1", null);
    }

    /** A resource request: verb, group, "resource" or "resource/subresource", namespace, name. */
    static RequestInfo request(String verb, String group, String resource, String namespace, String name) {
        return request("prod-cluster", verb, group, resource, namespace, name);
    }

    static RequestInfo request(String cluster, String verb, String group, String resource, String namespace,
                               String name) {
        int slash = resource.indexOf('/');
        String res = slash < 0 ? resource : resource.substring(0, slash);
        String sub = slash < 0 ? "" : resource.substring(slash + 1);
        String prefix = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/v1";
        String path = prefix + (namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + res
                + (name.isEmpty() ? "" : "/" + name) + (sub.isEmpty() ? "" : "/" + sub);
        return new RequestInfo(cluster, path, true, verb, group.isEmpty() ? "api" : "apis", group, "v1", namespace,
                res, sub, name);
    }

    static PolicyRequest ask(Identity who, RequestInfo what) {
        return new PolicyRequest(who, what, null);
    }
}
