package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKey;
import dev.gatehouse.mask.detect.TextMasker;

/**
 * What a session recording keeps of stdout and stderr passes the built-in detectors: a key the command prints is in
 * neither the raw part nor the cast, even cut across chunks; the recording's SHA-256 is over the masked bytes.
 */
class SessionRecordingMaskingTest {
    static final MaskKey KEY = MaskKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final String ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    static final String AWS_KEY_ID = "AKIAZ7QXJ4N2KD5WLM3P";
    static final String GITHUB = "ghp_Zx8Rt5Kq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeI";

    @TempDir
    Path dir;

    private SessionRecording recording(FileRecordingStore store, Supplier<TextMasker> maskers) throws IOException {
        SessionRecording.About about = new SessionRecording.About(ID, "audit-1", "c", "alice", List.of(), "prod",
                "web-0", "web", "exec", List.of("cat", "/keys"), false, false, "v5.channel.k8s.io", Instant.now());
        return new SessionRecording(about, store, Runnable::run, 1 << 20, SessionRecording.LimitAction.END, false,
                new SessionRecording.Listener() {
                    @Override
                    public void pressure(boolean paused) {
                    }

                    @Override
                    public void failed(String reason) {
                    }
                }, maskers);
    }

    @Test
    void keepsNeitherAKeyOnStdoutNorATokenOnStderrInTheRecording() throws Exception {
        FileRecordingStore store = new FileRecordingStore(dir);
        SessionRecording recording = recording(store, () -> new TextMasker(Fingerprints.with(KEY)));

        recording.stdout(bytes("aws_access_key_id = AKIAZ7QX"));
        recording.stdout(bytes("J4N2KD5WLM3P\nregion = eu-west-1\n"));
        recording.stderr(bytes("warning: token " + GITHUB));
        SessionSummary summary = recording.finish("exit").get();

        String raw = stream(store, RawRecording.STDOUT) + stream(store, RawRecording.STDERR);
        String cast = read(store.open(ID, RecordingStore.Part.CAST));
        assertThat(raw).doesNotContain(AWS_KEY_ID, GITHUB).contains(marker(AWS_KEY_ID), marker(GITHUB),
                "region = eu-west-1\n");
        assertThat(cast).doesNotContain(AWS_KEY_ID, GITHUB).contains(marker(AWS_KEY_ID), marker(GITHUB));
        assertThat(summary.stdoutBytes()).as("what the user was sent").isEqualTo(60);
        assertThat(summary.recording().rawSha256()).isEqualTo(sha256(store.open(ID, RecordingStore.Part.RAW)));
        assertThat(summary.recording().castSha256()).isEqualTo(sha256(store.open(ID, RecordingStore.Part.CAST)));
    }

    @Test
    void recordsEverythingAsSentWithoutMaskers() throws Exception {
        FileRecordingStore store = new FileRecordingStore(dir);
        SessionRecording recording = recording(store, () -> null);

        recording.stdout(bytes("key " + AWS_KEY_ID + "\n"));
        recording.finish("exit").get();

        assertThat(stream(store, RawRecording.STDOUT)).isEqualTo("key " + AWS_KEY_ID + "\n");
    }

    @Test
    void sendsAFinishedLineToTheRecordingAtOnce() throws Exception {
        FileRecordingStore store = new FileRecordingStore(dir);
        SessionRecording recording = recording(store, () -> new TextMasker(Fingerprints.with(KEY)));
        List<String> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
        recording.watch(line -> watched.add(line == null ? "<end>" : line));

        recording.stdout(bytes("total 0\n"));

        assertThat(watched).anyMatch(line -> line.contains("total 0\\n"));
        recording.finish("exit").get();
    }

    private static String marker(String value) {
        return Fingerprints.of(KEY, bytes(value));
    }

    private static String stream(FileRecordingStore store, int stream) throws IOException {
        try (InputStream in = RawRecording.stream(store.open(ID, RecordingStore.Part.RAW), stream)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
