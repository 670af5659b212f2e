package dev.gatehouse.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.cli.audit.GatewayOptions;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.Reports;

/** {@code gatehouse report list}: the reports, their titles and parameters (the gateway's, with {@code --server}). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Name the reports and their parameters.")
final class ReportListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        try {
            if (gateway.remote()) {
                JsonNode list = AuditEventJson.mapper().readTree(gateway.client().get("/gatehouse/v1/reports",
                        Map.of()));
                for (JsonNode r : list) {
                    line(r.path("name").asText(), r.path("title").asText());
                    for (JsonNode p : r.path("parameters")) {
                        parameter(p.path("name").asText(), p.path("required").asBoolean(),
                                p.path("description").asText());
                    }
                }
            } else {
                for (Report r : Reports.standard().all()) {
                    line(r.name(), r.title());
                    for (Parameter p : r.parameters()) {
                        parameter(p.name(), p.required(), p.description());
                    }
                }
            }
            spec.commandLine().getOut().flush();
            return ReportCommand.OK;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("gatehouse report list: " + ReportCommand.oneLine(e));
            return ReportCommand.ERROR;
        }
    }

    private void line(String name, String title) {
        spec.commandLine().getOut().printf("%-20s %s%n", name, title);
    }

    private void parameter(String name, boolean required, String description) {
        spec.commandLine().getOut().printf("%-20s   %s=%s%s%n", "", name, description, required ? " (required)" : "");
    }
}
