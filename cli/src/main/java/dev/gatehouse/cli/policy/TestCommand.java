package dev.gatehouse.cli.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.gatehouse.classify.PathGuard;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.RequestInfoParser;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MatchedRule;
import dev.gatehouse.policy.PolicyRequest;
import dev.gatehouse.policy.RulePolicy;

/**
 * {@code gatehouse policy test}: what the policy decides for one identity and one request, and which rule says so.
 * The request is given field by field ({@code --verb delete --resource namespaces --name foo}) or as the HTTP request
 * line kubectl would send ({@code --request "DELETE /api/v1/namespaces/foo"}), classified by the gateway's own rules.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Show the decision (allow, deny, review), the rule and its file:line, and the message or who "
                + "may approve, for one request.")
final class TestCommand extends PolicyCommand.Subcommand {
    private static final long MAX_OBJECT_BYTES = 3 * 1024 * 1024;

    @Option(names = "--user", required = true, description = "The user name, as the gateway authenticates it.")
    String user;
    @Option(names = "--group", paramLabel = "GROUP", description = "A group (repeat for more).")
    List<String> groups = new ArrayList<>();
    @Option(names = "--issuer", defaultValue = "", description = "Who vouched for the identity.")
    String issuer;
    @Option(names = "--method", defaultValue = "oidc",
            description = "oidc, service-account, delegated or static-token (default: ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--claim", paramLabel = "KEY=VALUE", description = "An identity attribute (repeat for more).")
    Map<String, String> claims = new LinkedHashMap<>();
    @Option(names = "--actor", paramLabel = "SUBJECT", description = "An actor in the delegation chain (repeatable).")
    List<String> actors = new ArrayList<>();
    @Option(names = "--cluster", defaultValue = "default", description = "The cluster's name (default: ${DEFAULT-VALUE}).")
    String cluster;
    @Option(names = "--request", paramLabel = "\"METHOD PATH\"",
            description = "The HTTP request line, e.g. \"DELETE /api/v1/namespaces/foo\"; instead of --verb etc.")
    String requestLine;
    @Option(names = "--verb", description = "get, list, watch, create, update, patch, delete, deletecollection, ...")
    String verb;
    @Option(names = "--resource", description = "The resource, e.g. pods, or pods/exec with its subresource.")
    String resource;
    @Option(names = "--subresource") String subresource;
    @Option(names = "--api-group", defaultValue = "", description = "The API group (\"\" for core).")
    String apiGroup;
    @Option(names = {"-n", "--namespace"}, defaultValue = "") String namespace;
    @Option(names = "--name", defaultValue = "") String name;
    @Option(names = "--path", description = "A non-resource URL such as /version (with --verb get).")
    String path;
    @Option(names = "--object", paramLabel = "FILE", description = "The request's body (JSON), for conditions on object.")
    Path objectFile;

    @Override
    int run() throws IOException {
        RulePolicy loaded = load();
        Identity identity = identity();
        RequestInfo request = request();
        JsonNode object = object();
        Decision decision = loaded.decide(new PolicyRequest(identity, request, object));
        out().println("decision: " + decision.word());
        out().println("rule:     " + describe(decision.rule()));
        switch (decision) {
            case Decision.Deny deny -> out().println("message:  " + deny.message());
            case Decision.Review review -> out().println("approval: " + Approvers.describe(review.requirement()));
            case Decision.Allow allow -> { }
        }
        if (!decision.maskProfile().isEmpty()) {
            out().println("mask:     " + decision.maskProfile());
        }
        MatchedRule needs = loaded.ruleNeedingObject(identity, request);
        if (needs != null && object == null) {
            out().println("note:     rule " + describe(needs) + " reads the object; without --object it saw null");
        }
        out().flush();
        return OK;
    }

    static String describe(MatchedRule rule) {
        return rule.line() > 0 ? rule.name() + " (" + rule.source() + ":" + rule.line() + ")"
                : rule.name() + " (no rule matched: the policy's default)";
    }

    private Identity identity() {
        AuthenticationMethod m = null;
        for (AuthenticationMethod candidate : AuthenticationMethod.values()) {
            if (candidate.wireName().equals(method)) {
                m = candidate;
            }
        }
        if (m == null) {
            throw new IllegalArgumentException("--method " + method + " (expected: oidc, service-account, delegated "
                    + "or static-token)");
        }
        return new Identity(user, "", groups, issuer, m, actors.stream().map(a -> new Identity.Actor(a, issuer))
                .toList(), claims, "", null);
    }

    private RequestInfo request() {
        if (requestLine != null) {
            if (verb != null || resource != null || path != null) {
                throw new IllegalArgumentException("--request names the whole request (expected: --request alone, "
                        + "or --verb with --resource or --path)");
            }
            return parseRequestLine(cluster, requestLine);
        }
        if (verb == null) {
            throw new IllegalArgumentException("no request (expected: --request \"METHOD PATH\", or --verb with "
                    + "--resource or --path)");
        }
        if (path != null) {
            return RequestInfo.nonResource(cluster, path, verb);
        }
        if (resource == null) {
            throw new IllegalArgumentException("--verb " + verb + " without --resource or --path");
        }
        String res = resource;
        String sub = subresource == null ? "" : subresource;
        int slash = res.indexOf('/');
        if (slash >= 0) {
            sub = res.substring(slash + 1);
            res = res.substring(0, slash);
        }
        String group = apiGroup.equals("core") ? "" : apiGroup;
        String prefix = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/v1";
        String p = prefix + (namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + res
                + (name.isEmpty() ? "" : "/" + name) + (sub.isEmpty() ? "" : "/" + sub);
        return new RequestInfo(cluster, p, true, verb, group.isEmpty() ? "api" : "apis", group, "v1", namespace, res,
                sub, name);
    }

    /** Classifies {@code "METHOD /path?query"} as the gateway's classify stage does. */
    static RequestInfo parseRequestLine(String cluster, String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--request \"" + line + "\" (expected: \"METHOD PATH\", e.g. "
                    + "\"DELETE /api/v1/namespaces/foo\")");
        }
        String method = parts[0].toUpperCase(Locale.ROOT);
        String target = parts[1];
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        Query query = Query.parse(q < 0 ? null : target.substring(q + 1));
        return new RequestInfoParser().parse(cluster, method, PathGuard.check(rawPath), query);
    }

    private JsonNode object() throws IOException {
        if (objectFile == null) {
            return null;
        }
        if (Files.size(objectFile) > MAX_OBJECT_BYTES) {
            throw new IOException("--object " + objectFile + ": larger than " + MAX_OBJECT_BYTES + " bytes");
        }
        try {
            return new ObjectMapper().readTree(objectFile.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("--object " + objectFile + ": not JSON (" + e.getOriginalMessage() + ")");
        }
    }
}
