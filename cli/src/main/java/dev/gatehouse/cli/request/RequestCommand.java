package dev.gatehouse.cli.request;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.gatehouse.config.Durations;
import dev.gatehouse.cli.reviews.ApiSubcommand;
import dev.gatehouse.cli.reviews.ReviewsClient;
import dev.gatehouse.cli.reviews.ReviewsClient.Kind;
import dev.gatehouse.cli.reviews.ReviewsText;

/**
 * {@code gatehouse request}: asks for time-boxed access (a grant) and prints what an approver runs. With
 * {@code --wait} it polls until the grant is decided: exit 0 when approved, 1 when denied, expired or cancelled, 3
 * when still pending at {@code --timeout}; Ctrl-C stops waiting and leaves the request pending.
 */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = "Ask for time-boxed access (a grant): what, where, for how long and why.")
public final class RequestCommand extends ApiSubcommand {
    /** Decided, but not approved: denied, expired or cancelled. */
    public static final int NOT_APPROVED = 1;
    /** Still pending when {@code --timeout} ran out. */
    public static final int STILL_PENDING = 3;

    @Option(names = "--cluster", required = true, paramLabel = "CLUSTER", description = "The cluster, as the gateway "
            + "names it.")
    String cluster;

    @Option(names = {"-n", "--namespace"}, split = ",", paramLabel = "NAMESPACE",
            description = "A namespace (repeat the option or give a comma list); none for cluster-scoped resources.")
    List<String> namespaces;

    @Option(names = "--verbs", required = true, split = ",", paramLabel = "VERB",
            description = "Kubernetes verbs, e.g. get,list,watch.")
    List<String> verbs;

    @Option(names = "--resources", required = true, split = ",", paramLabel = "RESOURCE",
            description = "Resources, with a subresource where needed: pods,pods/log,pods/exec.")
    List<String> resources;

    @Option(names = "--for", required = true, paramLabel = "DURATION",
            description = "How long the access lasts once approved: 30m, 2h, 1h30m.")
    String duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (approvers see it; some rules require it).")
    String reason;

    @Option(names = "--wait", description = "Wait for the decision: exit 0 if approved, 1 if denied, expired or "
            + "cancelled, 3 if still pending at --timeout.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "2s",
            description = "How often --wait asks (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Override
    protected int run() throws IOException {
        Durations.parse("--for", duration);
        Duration waitFor = Durations.parse("--timeout", timeout);
        Duration every = Durations.parse("--poll-interval", pollInterval);
        ReviewsClient api = api();
        JsonNode grant = api.requestGrant(cluster, namespaces == null ? List.of() : namespaces, verbs, resources,
                duration, reason);
        String id = ReviewsClient.checked(Kind.GRANT, grant.path("id").asText());
        out().println(ReviewsText.clean("grant " + id + " requested: " + grant.path("description").asText() + " for "
                + grant.path("duration").asText() + " (" + grant.path("state").asText() + ", "
                + grant.path("approvals").asText() + " approvals)"));
        JsonNode requirement = grant.path("requirement");
        out().println("An approver (" + ReviewsText.approvers(requirement) + ") runs:");
        out().println("  gatehouse grants approve " + id + (requirement.path("reasonRequired").asBoolean()
                ? " --reason WHY" : "") + gatewayArguments() + " --token-file THEIR-TOKEN-FILE");
        out().flush();
        if (!await || !grant.path("state").asText().equals("pending")) {
            return await ? exitFor(grant) : 0;
        }
        return waitForDecision(api, id, waitFor, every);
    }

    private int waitForDecision(ReviewsClient api, String id, Duration waitFor, Duration every) throws IOException {
        out().println("Waiting up to " + Durations.format(waitFor) + " for a decision (Ctrl-C stops waiting; the "
                + "request stays pending)...");
        out().flush();
        Thread hint = new Thread(() -> {
            err().println("gatehouse request: stopped waiting; grant " + id + " stays pending (gatehouse grants show "
                    + id + gatewayArguments() + ")");
            err().flush();
        });
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            Instant deadline = Instant.now().plus(waitFor);
            while (true) {
                JsonNode grant = api.show(Kind.GRANT, id);
                if (!grant.path("state").asText().equals("pending")) {
                    return exitFor(grant);
                }
                if (!Instant.now().plus(every).isBefore(deadline)) {
                    err().println("gatehouse request: grant " + id + " is still pending after "
                            + Durations.format(waitFor) + " (gatehouse grants show " + id + gatewayArguments()
                            + ")");
                    err().flush();
                    return STILL_PENDING;
                }
                sleep(every);
            }
        } finally {
            removeHook(hint);
        }
    }

    /** Prints the decision; 0 when approved. */
    private int exitFor(JsonNode grant) {
        String state = grant.path("state").asText();
        JsonNode verdicts = grant.path("verdicts");
        JsonNode last = verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
        String line = switch (state) {
            case "approved" -> ReviewsText.outcome(grant, "approve");
            case "denied" -> ReviewsText.outcome(grant, "deny") + (last == null || last.path("reason").asText()
                    .isEmpty() ? "" : ": \"" + last.path("reason").asText() + "\"");
            default -> "grant " + grant.path("id").asText() + " " + state;
        };
        out().println(ReviewsText.clean(line));
        out().flush();
        return state.equals("approved") ? 0 : NOT_APPROVED;
    }

    /** The same gateway options, for the commands this one suggests. */
    private String gatewayArguments() {
        return " --server " + gateway.server() + (gateway.certificateAuthority() == null ? ""
                : " --certificate-authority " + gateway.certificateAuthority());
    }

    private static void sleep(Duration every) throws IOException {
        try {
            Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a decision");
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: Ctrl-C came while waiting
        }
    }
}
