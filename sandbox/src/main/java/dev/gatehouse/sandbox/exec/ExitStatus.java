package dev.gatehouse.sandbox.exec;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

/**
 * The {@code Status} that ends an exec or attach on the error stream, as the kubelet writes it: {@code Success},
 * or {@code Failure} with reason {@code NonZeroExitCode} and a cause {@code ExitCode} holding the code, from
 * which kubectl takes its own exit code.
 */
public final class ExitStatus {
    private ExitStatus() {
    }

    /** The Status of a command that ended with this code. */
    public static ObjectNode of(List<String> command, int code) {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        if (code == 0) {
            return status.put("status", "Success");
        }
        status.put("status", "Failure").put("message", "command terminated with non-zero exit code: error "
                + "executing command " + command + ", exit code " + code).put("reason", "NonZeroExitCode");
        status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                .put("message", Integer.toString(code));
        return status;
    }

    /** Whether a Status is a failure, and so worth writing on a protocol whose error stream is plain text. */
    static boolean failed(ObjectNode status) {
        return "Failure".equals(status.path("status").asText());
    }
}
