package dev.gatehouse.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.gatehouse.cli.audit.GatewayOptions;

/**
 * {@code gatehouse report sign-off --server URL --campaign C --principal P --resource R --decision keep|revoke
 * --justification J}: a reviewer's decision on one row of a recertification campaign, recorded by the gateway as an
 * audit event before it answers. Only against a live gateway: a sign-off is evidence, not a file.
 */
@Command(name = "sign-off", mixinStandardHelpOptions = true,
        description = "Sign off one principal's access to one resource in a recertification campaign (an audit "
                + "event on the gateway).")
final class SignOffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--campaign", required = true) String campaign;
    @Option(names = "--principal", required = true, description = "The user, as the report names it.")
    String principal;
    @Option(names = "--resource", required = true, description = "cluster/namespace/resource, as the report names it.")
    String resource;
    @Option(names = "--decision", required = true, description = "keep or revoke.") String decision;
    @Option(names = "--justification", required = true) String justification;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        try {
            if (!gateway.remote()) {
                throw new IllegalArgumentException("a sign-off is recorded by the gateway: --server URL is required");
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("campaign", campaign);
            params.put("principal", principal);
            params.put("resource", resource);
            params.put("decision", decision);
            params.put("justification", justification);
            String query = params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                    StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            String answer = gateway.client().postJson("/gatehouse/v1/reports/recertification/sign-off?" + query, "");
            spec.commandLine().getOut().println(answer);
            spec.commandLine().getOut().flush();
            return ReportCommand.OK;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("gatehouse report sign-off: " + ReportCommand.oneLine(e));
            return ReportCommand.ERROR;
        }
    }
}
