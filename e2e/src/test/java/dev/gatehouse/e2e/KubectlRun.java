package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/** What one kubectl command did through the gateway: its result and the requests it caused upstream. */
public record KubectlRun(KubectlResult result, List<ReceivedRequest> upstream) {

    /** Runs {@code command} (one kubectl invocation) and collects what {@code sandbox} received meanwhile. */
    public static KubectlRun of(Sandbox sandbox, Supplier<KubectlResult> command) {
        int mark = sandbox.received().size();
        KubectlResult result = command.get();
        return new KubectlRun(result, receivedSince(sandbox, mark));
    }

    /** The requests {@code sandbox} received after the first {@code mark}. */
    public static List<ReceivedRequest> receivedSince(Sandbox sandbox, int mark) {
        List<ReceivedRequest> all = sandbox.received();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** The last upstream request with this method whose raw path contains {@code pathPart}; fails when none does. */
    public ReceivedRequest only(String method, String pathPart) {
        List<ReceivedRequest> matching = upstream.stream()
                .filter(r -> r.method().equals(method) && r.rawPath().contains(pathPart)).toList();
        assertThat(matching).as("%s %s among %s", method, pathPart, upstream).isNotEmpty();
        return matching.get(matching.size() - 1);
    }
}
