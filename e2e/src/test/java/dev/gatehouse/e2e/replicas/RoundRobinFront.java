package dev.gatehouse.e2e.replicas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer as small as it gets: a TCP front on a loopback port that hands each new connection to the next
 * backend in turn (TLS passes through untouched), skipping a backend that refuses the connection, as a health-
 * checking balancer would after a replica dies. One virtual thread per direction of each connection.
 */
final class RoundRobinFront implements AutoCloseable {
    private final List<Integer> backends;
    private final ServerSocket server;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicInteger> handed = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RoundRobinFront(List<Integer> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("front-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many connections each backend port was handed. */
    Map<Integer, Integer> handed() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        handed.forEach((port, n) -> out.put(port, n.get()));
        return out;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("front: accept failed: " + e);
                }
            }
        }
    }

    private void connect(Socket client) {
        int start = Math.floorMod(next.getAndIncrement(), backends.size());
        for (int i = 0; i < backends.size(); i++) {
            int port = backends.get((start + i) % backends.size());
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            } catch (IOException refused) {
                close(backend);
                continue;
            }
            handed.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
            Thread.ofVirtual().start(() -> pump(client, backend));
            pump(backend, client);
            return;
        }
        close(client);
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both. */
    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away: the other is closed below
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
