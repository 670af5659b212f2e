package dev.gatehouse.session;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a session was, written beside its recording when it ends: who, where, which command, how it ended, what it
 * moved. Its recording's sizes and digests are also in the session's end audit event, so the tamper-evident log
 * covers the recording.
 *
 * @param subresource exec, attach or portforward
 * @param protocol    how it was carried, e.g. {@code websocket/v5.channel.k8s.io} or {@code spdy/v4.channel.k8s.io}
 * @param capture     {@code full}, or {@code metadata} when payload capture stopped at the size limit
 * @param files       files copied by {@code kubectl cp} (tar over exec), recognised from the tar stream
 * @param forwards    port-forward connections
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionSummary(String id, String auditID, String cluster, String user, List<String> groups,
                             String namespace, String pod, String container, String subresource,
                             List<String> command, boolean tty, boolean stdin, String protocol, String started,
                             String ended, Integer exitCode, String endReason, long stdinBytes, long stdoutBytes,
                             long stderrBytes, String capture, RecordingStore.Sealed recording,
                             List<CopiedFile> files, List<Forward> forwards) {

    /** One file in a {@code kubectl cp} tar stream: {@code to-pod} (stdin) or {@code from-pod} (stdout). */
    public record CopiedFile(String direction, String path, long size, String sha256) {
    }

    /** One forwarded connection. */
    public record Forward(String requestId, int port, long bytesToPod, long bytesFromPod, String opened,
                          String closed, String error) {
    }
}
