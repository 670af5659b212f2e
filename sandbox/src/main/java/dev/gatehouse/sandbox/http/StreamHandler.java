package dev.gatehouse.sandbox.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import dev.gatehouse.listen.RawUpgrade;
import dev.gatehouse.sandbox.exec.AttachSession;
import dev.gatehouse.sandbox.exec.ContainerProcesses;
import dev.gatehouse.sandbox.exec.ExecSession;
import dev.gatehouse.sandbox.exec.RemoteStreams;
import dev.gatehouse.sandbox.exec.SpdyStreams;
import dev.gatehouse.sandbox.exec.WebSocketStreams;
import dev.gatehouse.sandbox.portforward.PortForwardSession;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.spdy.SpdyConnection;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * The streaming pod subresources, over every protocol kubectl 1.32 uses: {@code exec} and {@code attach} over
 * WebSocket ({@link WebSocketStreams}) or an {@code Upgrade: SPDY/3.1} ({@link SpdyStreams}), {@code portforward}
 * over WebSocket ({@code SPDY/3.1+portforward.k8s.io}) or SPDY. Exec runs a {@link
 * dev.gatehouse.sandbox.exec.FakeShell}, attach joins the container's {@link
 * dev.gatehouse.sandbox.exec.ContainerProcess}, port-forward connects to the configured targets. With WebSocket
 * streaming off, WebSocket upgrades are refused as a 1.20 kubelet refuses kubectl 1.32's, so kubectl falls back to
 * SPDY. A request that upgrades to neither is a 400, as from the apiserver.
 */
final class StreamHandler {
    /** How long a SPDY exec or attach connection stays open after its Status for the client to close it first. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final ObjectStore store;
    private final NetClient client;
    private final ContainerProcesses processes;
    private final Map<Integer, InetSocketAddress> portTargets;
    private final boolean webSockets;

    /**
     * @param portTargets container port → where port-forwarded connections go
     * @param webSockets  whether WebSocket upgrades are served (else refused, as by a 1.20 kubelet)
     */
    StreamHandler(Vertx vertx, ObjectStore store, ContainerProcesses processes,
                  Map<Integer, InetSocketAddress> portTargets, boolean webSockets) {
        this.vertx = vertx;
        this.store = store;
        this.client = vertx.createNetClient();
        this.processes = processes;
        this.portTargets = Map.copyOf(portTargets);
        this.webSockets = webSockets;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType pods) {
        ObjectNode pod = store.require(pods, info.namespace(), info.name());
        switch (info.subresource()) {
            case "exec" -> exec(ex, info, pod);
            case "attach" -> attach(ex, info, pod);
            default -> portForward(ex, info, pod);
        }
    }

    private void exec(Exchange ex, RequestInfo info, ObjectNode pod) {
        String container = Containers.resolve(pod, ex.param("container"));
        List<String> command = ex.request().params().getAll("command");
        if (command.isEmpty()) {
            throw ApiException.badRequest("you must specify at least 1 command");
        }
        Map<String, Boolean> options = options(ex);
        Map<String, String> env = Containers.env(pod, container);
        String podName = info.name();
        upgrade(ex, info, options, streams -> new ExecSession(streams, command, options, podName, env));
    }

    private void attach(Exchange ex, RequestInfo info, ObjectNode pod) {
        String container = Containers.resolve(pod, ex.param("container"));
        Map<String, Boolean> options = options(ex);
        Map<String, String> env = Containers.env(pod, container);
        String ns = info.namespace();
        String podName = info.name();
        upgrade(ex, info, options, streams -> new AttachSession(streams,
                processes.of(ns, podName, container, env), options, loop()));
    }

    /** Query flags read as the apiserver reads them; at least one stream is required, as there. */
    private static Map<String, Boolean> options(Exchange ex) {
        Map<String, Boolean> options = Map.of("stdin", QueryFlags.flag(ex.request(), "stdin"),
                "stdout", QueryFlags.flag(ex.request(), "stdout"), "stderr", QueryFlags.flag(ex.request(), "stderr"),
                "tty", QueryFlags.flag(ex.request(), "tty"));
        if (!options.get("stdin") && !options.get("stdout") && !options.get("stderr")) {
            throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        return options;
    }

    /** Upgrades an exec or attach to WebSocket or SPDY and starts the session once its streams are there. */
    private void upgrade(Exchange ex, RequestInfo info, Map<String, Boolean> options,
                         Consumer<RemoteStreams> session) {
        HttpServerRequest request = ex.request();
        if (request.canUpgradeToWebSocket()) {
            refuseWebSocketIfOff(info, 403, "Forbidden");
            String offered = String.valueOf(ex.header("Sec-WebSocket-Protocol"));
            if (WebSocketStreams.PROTOCOLS.stream().noneMatch(offered::contains)) {
                throw new ApiException(400, "BadRequest", "unable to upgrade: no supported subprotocol in \""
                        + offered + "\" (expected one of " + WebSocketStreams.PROTOCOLS + ")", info.name(), "",
                        "pods");
            }
            request.toWebSocket().onSuccess(socket -> {
                if (WebSocketStreams.PROTOCOLS.contains(socket.subProtocol())) {
                    session.accept(new WebSocketStreams(socket));
                } else {
                    socket.close((short) 1002, "subprotocol " + socket.subProtocol() + " is not for "
                            + info.subresource());
                }
            });
        } else if (isSpdyUpgrade(request)) {
            String protocol = negotiate(request, SpdyStreams.PROTOCOLS, info);
            spdy(request, protocol, connection -> new SpdyStreams(connection, protocol, options, session::accept,
                    () -> vertx.setTimer(CLOSE_GRACE.toMillis(), id -> connection.close())));
        } else {
            throw upgradeRequired(info);
        }
    }

    private void portForward(Exchange ex, RequestInfo info, ObjectNode pod) {
        HttpServerRequest request = ex.request();
        String podName = info.name();
        String uid = pod.path("metadata").path("uid").asText();
        if (request.canUpgradeToWebSocket()) {
            refuseWebSocketIfOff(info, 400, "BadRequest");
            String offered = String.valueOf(ex.header("Sec-WebSocket-Protocol"));
            if (!offered.contains(PortForwardSession.WEBSOCKET_PROTOCOL)) {
                throw new ApiException(400, "BadRequest", "unable to upgrade: port-forward over WebSocket needs "
                        + "the subprotocol " + PortForwardSession.WEBSOCKET_PROTOCOL + ", not \"" + offered + "\"",
                        podName, "", "pods");
            }
            request.toWebSocket().onSuccess(socket -> {
                if (!PortForwardSession.WEBSOCKET_PROTOCOL.equals(socket.subProtocol())) {
                    socket.close((short) 1002, "subprotocol " + socket.subProtocol() + " is not for portforward");
                    return;
                }
                SpdyConnection connection = new SpdyConnection(socket::writeBinaryMessage, socket::close);
                new PortForwardSession(connection, client, podName, uid, portTargets);
                socket.binaryMessageHandler(connection::receive);
                socket.closeHandler(v -> connection.transportClosed());
            });
        } else if (isSpdyUpgrade(request)) {
            String protocol = negotiate(request, List.of(PortForwardSession.PROTOCOL), info);
            spdy(request, protocol, connection -> new PortForwardSession(connection, client, podName, uid,
                    portTargets));
        } else {
            throw upgradeRequired(info);
        }
    }

    /** Answers 101 with {@code Upgrade: SPDY/3.1} and runs a SPDY connection over the raw socket. */
    private static void spdy(HttpServerRequest request, String protocol, Consumer<SpdyConnection> listener) {
        HttpServerResponse response = request.response();
        response.putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1")
                .putHeader("X-Stream-Protocol-Version", protocol);
        RawUpgrade.toNetSocket(request).onSuccess((NetSocket socket) -> {
            SpdyConnection connection = new SpdyConnection(socket::write, socket::close);
            listener.accept(connection);
            socket.handler(connection::receive);
            socket.closeHandler(v -> connection.transportClosed());
        });
    }

    private static boolean isSpdyUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        String connection = request.getHeader("Connection");
        return upgrade != null && upgrade.equalsIgnoreCase("SPDY/3.1") && connection != null
                && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    /**
     * The client's first {@code X-Stream-Protocol-Version} that is served, as {@code httpstream.Handshake}
     * chooses; none offered means the oldest protocol; none served is a 403, as from the kubelet.
     */
    private static String negotiate(HttpServerRequest request, List<String> served, RequestInfo info) {
        List<String> offered = request.headers().getAll("X-Stream-Protocol-Version").stream()
                .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).toList();
        if (offered.isEmpty()) {
            return served.get(served.size() - 1);
        }
        return offered.stream().filter(served::contains).findFirst().orElseThrow(() -> new ApiException(403,
                "Forbidden", "unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server accepts " + served, info.name(), "", "pods"));
    }

    private void refuseWebSocketIfOff(RequestInfo info, int code, String reason) {
        if (!webSockets) {
            throw new ApiException(code, reason, "unable to upgrade: the sandbox serves pods/" + info.subresource()
                    + " over SPDY only (WebSocket streaming is off, as on a Kubernetes 1.20 node)", info.name(), "",
                    "pods");
        }
    }

    private static ApiException upgradeRequired(RequestInfo info) {
        return new ApiException(400, "BadRequest", "Upgrade request required", info.name(), "", "pods");
    }

    /** Runs a task on the calling request's event loop. */
    private static Executor loop() {
        Context context = Vertx.currentContext();
        return task -> context.runOnContext(v -> task.run());
    }
}
