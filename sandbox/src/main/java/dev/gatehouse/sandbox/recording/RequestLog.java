package dev.gatehouse.sandbox.recording;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/** The last requests the sandbox received, oldest first, bounded so that a long demo does not grow without end. */
public final class RequestLog {
    private final int capacity;
    private final ArrayDeque<ReceivedRequest> requests = new ArrayDeque<>();

    public RequestLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    public synchronized void add(ReceivedRequest request) {
        requests.addLast(request);
        while (requests.size() > capacity) {
            requests.removeFirst();
        }
    }

    /** A snapshot, oldest first. */
    public synchronized List<ReceivedRequest> all() {
        return List.copyOf(requests);
    }

    public synchronized List<ReceivedRequest> matching(Predicate<ReceivedRequest> filter) {
        return requests.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        requests.clear();
    }
}
