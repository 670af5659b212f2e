package dev.gatehouse.sandbox.exec;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import dev.gatehouse.sandbox.resource.Json;

/**
 * One {@code kubectl exec} over a WebSocket speaking the Kubernetes channel protocol ({@code v5.channel.k8s.io},
 * or {@code v4.channel.k8s.io}): every binary message starts with a channel byte, 0 stdin, 1 stdout, 2 stderr,
 * 3 error (the final {@code Status}), 4 resize; in v5, {@code 255 0} closes stdin. With a TTY, stderr is merged into
 * stdout and line ends become CR LF, as a terminal would.
 */
public final class ExecSession implements Terminal {
    /** The subprotocols served, most preferred first. */
    public static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");

    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte CLOSE = (byte) 255;

    private final ServerWebSocket socket;
    private final List<String> command;
    private final boolean tty;
    private final boolean stdout;
    private final boolean stderr;
    private final FakeShell shell;
    private boolean ended;

    /**
     * @param options the exec query: {@code stdin}, {@code stdout}, {@code stderr}, {@code tty} flags
     */
    public ExecSession(ServerWebSocket socket, List<String> command, Map<String, Boolean> options, String pod,
                       Map<String, String> env) {
        this.socket = socket;
        this.command = List.copyOf(command);
        this.tty = options.getOrDefault("tty", false);
        this.stdout = options.getOrDefault("stdout", false);
        this.stderr = options.getOrDefault("stderr", false);
        this.shell = new FakeShell(command, pod, env, tty, this);
        boolean stdin = options.getOrDefault("stdin", false);
        socket.binaryMessageHandler(this::message);
        socket.closeHandler(v -> ended = true);
        shell.start();
        if (!stdin && !shell.isDone()) {
            shell.stdinClosed();
        }
    }

    private void message(Buffer message) {
        if (message.length() == 0) {
            return;
        }
        byte channel = message.getByte(0);
        if (channel == STDIN) {
            shell.stdin(message.getBytes(1, message.length()));
        } else if (channel == CLOSE && message.length() > 1 && message.getByte(1) == STDIN) {
            shell.stdinClosed();
        }
    }

    @Override
    public void stdout(byte[] data) {
        if (stdout) {
            send(STDOUT, tty ? crlf(data) : data);
        }
    }

    @Override
    public void stderr(byte[] data) {
        if (tty) {
            stdout(data);
        } else if (stderr) {
            send(STDERR, data);
        }
    }

    @Override
    public void exit(int code) {
        var status = Json.object();
        status.putObject("metadata");
        if (code == 0) {
            status.put("status", "Success");
        } else {
            status.put("status", "Failure").put("message", "command terminated with non-zero exit code: error "
                    + "executing command " + command + ", exit code " + code).put("reason", "NonZeroExitCode");
            status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                    .put("message", Integer.toString(code));
        }
        send(ERROR, Json.bytes(status));
        if (!ended) {
            ended = true;
            socket.close((short) 1000);
        }
    }

    private void send(byte channel, byte[] data) {
        if (ended) {
            return;
        }
        socket.writeBinaryMessage(Buffer.buffer(data.length + 1).appendByte(channel).appendBytes(data));
    }

    private static byte[] crlf(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 8);
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(data[i]);
        }
        return out.toByteArray();
    }
}
