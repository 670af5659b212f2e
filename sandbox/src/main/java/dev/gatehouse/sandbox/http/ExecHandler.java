package dev.gatehouse.sandbox.http;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

import dev.gatehouse.sandbox.exec.ExecSession;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * {@code pods/exec} over WebSocket ({@code v5.channel.k8s.io} / {@code v4.channel.k8s.io}), answered by a
 * {@link dev.gatehouse.sandbox.exec.FakeShell}. SPDY upgrades, attach and port-forward are refused with a Status.
 */
final class ExecHandler {
    private final ObjectStore store;

    ExecHandler(ObjectStore store) {
        this.store = store;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType pods) {
        HttpServerRequest request = ex.request();
        if (!info.subresource().equals("exec")) {
            throw new ApiException(400, "BadRequest", "the sandbox cluster supports exec only; pods/"
                    + info.subresource() + " is not supported", info.name(), "", "pods");
        }
        if (!request.canUpgradeToWebSocket()) {
            throw new ApiException(400, "BadRequest", "the sandbox cluster serves exec over WebSocket "
                    + "(subprotocols " + ExecSession.PROTOCOLS + ") only, not SPDY", info.name(), "", "pods");
        }
        ObjectNode pod = store.require(pods, info.namespace(), info.name());
        String container = Containers.resolve(pod, ex.param("container"));
        List<String> command = request.params().getAll("command");
        if (command.isEmpty()) {
            throw ApiException.badRequest("you must specify at least 1 command");
        }
        Map<String, Boolean> options = Map.of(
                "stdin", flag(ex, "stdin"), "stdout", flag(ex, "stdout"), "stderr", flag(ex, "stderr"),
                "tty", flag(ex, "tty"));
        Map<String, String> env = Containers.env(pod, container);
        String podName = info.name();
        request.toWebSocket().onSuccess(socket -> new ExecSession(socket, command, options, podName, env));
    }

    private static boolean flag(Exchange ex, String name) {
        String value = ex.param(name);
        return "true".equals(value) || "1".equals(value);
    }
}
