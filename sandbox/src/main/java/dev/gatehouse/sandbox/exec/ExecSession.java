package dev.gatehouse.sandbox.exec;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * One {@code kubectl exec}: a {@link FakeShell} running the command, its input and output on the
 * {@link RemoteStreams} of whichever protocol the client chose. With a TTY, stderr is merged into stdout and line
 * ends become CR LF, as a terminal would.
 */
public final class ExecSession implements Terminal, RemoteStreams.Input {
    private final RemoteStreams streams;
    private final List<String> command;
    private final boolean tty;
    private final boolean stdout;
    private final boolean stderr;
    private final FakeShell shell;

    /**
     * @param options the exec query: {@code stdin}, {@code stdout}, {@code stderr}, {@code tty} flags
     */
    public ExecSession(RemoteStreams streams, List<String> command, Map<String, Boolean> options, String pod,
                       Map<String, String> env) {
        this.streams = streams;
        this.command = List.copyOf(command);
        this.tty = options.getOrDefault("tty", false);
        this.stdout = options.getOrDefault("stdout", false);
        this.stderr = options.getOrDefault("stderr", false);
        this.shell = new FakeShell(command, pod, env, tty, this);
        boolean stdin = options.getOrDefault("stdin", false);
        shell.start();
        if (!stdin && !shell.isDone()) {
            shell.stdinClosed();
        }
        streams.input(this);
    }

    @Override
    public void stdin(byte[] data) {
        shell.stdin(data);
    }

    @Override
    public void stdinClosed() {
        shell.stdinClosed();
    }

    @Override
    public void closed() {
        // the client went away: the command's output has nowhere to go
    }

    @Override
    public void stdout(byte[] data) {
        if (stdout) {
            streams.stdout(tty ? crlf(data) : data);
        }
    }

    @Override
    public void stderr(byte[] data) {
        if (tty) {
            stdout(data);
        } else if (stderr) {
            streams.stderr(data);
        }
    }

    @Override
    public void exit(int code) {
        streams.end(ExitStatus.of(command, code));
    }

    static byte[] crlf(byte[] data) {
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
