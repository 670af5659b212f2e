package dev.gatehouse.sandbox.exec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The main process of one container, what {@code kubectl attach} connects to: a {@link FakeShell} running
 * {@code sh}, reading command lines from the standard input of the attached clients and writing to every attached
 * client. Like a container with {@code stdin: true} and {@code stdinOnce: true}, it exits when an attached client
 * closes its standard input; every attachment then ends, and the next attach finds a fresh process (the restart).
 * Thread-safe: clients attach from any event loop.
 */
public final class ContainerProcess implements Terminal {
    private final FakeShell shell;
    private final Runnable exited;
    private final List<AttachSession> attached = new CopyOnWriteArrayList<>();
    private boolean done;

    /**
     * @param exited called once when the process exits
     */
    ContainerProcess(String pod, Map<String, String> env, Runnable exited) {
        this.exited = exited;
        this.shell = new FakeShell(List.of("sh"), pod, env, false, this);
        shell.start();
    }

    /** Adds a client; false when the process has already exited. */
    synchronized boolean attach(AttachSession session) {
        if (done) {
            return false;
        }
        attached.add(session);
        return true;
    }

    void detach(AttachSession session) {
        attached.remove(session);
    }

    /** How many clients are attached. */
    public int attachedCount() {
        return attached.size();
    }

    synchronized void stdin(byte[] data) {
        shell.stdin(data);
    }

    synchronized void stdinClosed() {
        shell.stdinClosed();
    }

    @Override
    public void stdout(byte[] data) {
        attached.forEach(s -> s.stdout(data));
    }

    @Override
    public void stderr(byte[] data) {
        attached.forEach(s -> s.stderr(data));
    }

    @Override
    public void exit(int code) {
        done = true;
        exited.run();
        attached.forEach(s -> s.exited(code));
        attached.clear();
    }
}
