package dev.gatehouse.sandbox.exec;

import java.util.HashMap;
import java.util.Map;

/** The running main process of every container that someone attached to, started on first attach. */
public final class ContainerProcesses {
    private final Map<String, ContainerProcess> running = new HashMap<>();

    /** The container's process, started if it is not running. */
    public synchronized ContainerProcess of(String namespace, String pod, String container, Map<String, String> env) {
        String key = key(namespace, pod, container);
        ContainerProcess process = running.get(key);
        if (process == null) {
            ContainerProcess[] started = new ContainerProcess[1];
            started[0] = new ContainerProcess(pod, env, () -> exited(key, started[0]));
            process = started[0];
            running.put(key, process);
        }
        return process;
    }

    /** How many clients are attached to a container's process (0 when it does not run). */
    public synchronized int attached(String namespace, String pod, String container) {
        ContainerProcess process = running.get(key(namespace, pod, container));
        return process == null ? 0 : process.attachedCount();
    }

    private synchronized void exited(String key, ContainerProcess process) {
        running.remove(key, process);
    }

    private static String key(String namespace, String pod, String container) {
        return namespace + "/" + pod + "/" + container;
    }
}
