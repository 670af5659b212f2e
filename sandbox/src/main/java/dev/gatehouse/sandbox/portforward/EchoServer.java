package dev.gatehouse.sandbox.portforward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/** A TCP echo service on loopback, any free port: what the seeded pods' container port forwards to by default. */
public final class EchoServer implements AutoCloseable {
    private final NetServer server;

    private EchoServer(NetServer server) {
        this.server = server;
    }

    /** Starts listening on 127.0.0.1. */
    public static Future<EchoServer> start(Vertx vertx) {
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(socket -> {
                    socket.handler(socket::write);
                    socket.endHandler(v -> socket.end());
                });
        return server.listen().map(s -> new EchoServer(s));
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
