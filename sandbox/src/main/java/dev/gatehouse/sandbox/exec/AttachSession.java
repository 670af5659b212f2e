package dev.gatehouse.sandbox.exec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One {@code kubectl attach}: the client's {@link RemoteStreams} joined to a container's {@link ContainerProcess}.
 * Output reaches the client on its own event loop ({@code loop}); with {@code stdin} the client's input goes to
 * the process, and closing it ends the process. The session ends when the process exits ({@code Success} on the
 * error stream) or the client goes away (detached; the process keeps running).
 */
public final class AttachSession implements RemoteStreams.Input {
    private final RemoteStreams streams;
    private final ContainerProcess process;
    private final Executor loop;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean tty;

    /**
     * @param options the attach query: {@code stdin}, {@code stdout}, {@code stderr}, {@code tty} flags
     * @param loop    runs a task on the client connection's event loop
     */
    public AttachSession(RemoteStreams streams, ContainerProcess process, Map<String, Boolean> options,
                         Executor loop) {
        this.streams = streams;
        this.process = process;
        this.loop = loop;
        this.stdin = options.getOrDefault("stdin", false);
        this.stdout = options.getOrDefault("stdout", false);
        this.stderr = options.getOrDefault("stderr", false);
        this.tty = options.getOrDefault("tty", false);
        streams.input(this);
        if (!process.attach(this)) {
            streams.end(ExitStatus.of(List.of("sh"), 0));
        }
    }

    @Override
    public void stdin(byte[] data) {
        if (stdin) {
            process.stdin(data);
        }
    }

    @Override
    public void stdinClosed() {
        if (stdin) {
            process.stdinClosed();
        }
    }

    @Override
    public void closed() {
        process.detach(this);
    }

    void stdout(byte[] data) {
        if (stdout) {
            loop.execute(() -> streams.stdout(tty ? ExecSession.crlf(data) : data));
        }
    }

    void stderr(byte[] data) {
        if (tty) {
            stdout(data);
        } else if (stderr) {
            loop.execute(() -> streams.stderr(data));
        }
    }

    /** The process ended: so does the attachment. */
    void exited(int code) {
        loop.execute(() -> streams.end(ExitStatus.of(List.of("sh"), code)));
    }
}
