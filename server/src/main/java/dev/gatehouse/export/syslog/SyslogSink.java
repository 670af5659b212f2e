package dev.gatehouse.export.syslog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.gatehouse.export.ExportRecord;
import dev.gatehouse.export.ExportSink;

/**
 * Sends events to a syslog server over TCP, or TLS when an {@link SSLContext} is given (hostname verified). A
 * failed write drops the connection; the next attempt reconnects and resends the whole batch, so the receiver can
 * see an event twice, with the same {@code auditID}. Plain syslog has no acknowledgement: a batch counts as
 * delivered once flushed to the connection.
 */
public final class SyslogSink implements ExportSink {
    private final String host;
    private final int port;
    private final SSLContext tls;
    private final String hostname;
    private final Duration timeout;
    private Socket socket;
    private OutputStream out;

    public SyslogSink(String host, int port, SSLContext tls, String hostname, Duration timeout) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.hostname = hostname;
        this.timeout = timeout;
    }

    @Override
    public void deliver(List<ExportRecord> batch) throws IOException {
        try {
            if (socket != null && peerClosed()) {
                disconnect();
            }
            if (socket == null) {
                connect();
            }
            for (ExportRecord r : batch) {
                out.write(SyslogMessage.frame(r, hostname, "gatehouse"));
            }
            out.flush();
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    /** Whether the receiver closed the connection (it never sends, so any read result but a timeout says so). */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            int b = socket.getInputStream().read();
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                if (socket != null && !socket.isClosed()) {
                    socket.setSoTimeout((int) timeout.toMillis());
                }
            } catch (IOException ignored) {
                // checked again on write
            }
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        if (tls != null) {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            s = ssl;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // reconnecting anyway
            }
        }
        socket = null;
        out = null;
    }

    @Override
    public String describe() {
        return "syslog " + (tls != null ? "tls://" : "tcp://") + host + ":" + port;
    }

    @Override
    public void close() {
        disconnect();
    }
}
