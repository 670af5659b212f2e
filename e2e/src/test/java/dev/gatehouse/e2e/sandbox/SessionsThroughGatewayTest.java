package dev.gatehouse.e2e.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.SessionSummary;

/**
 * exec, stdin, TTY and {@code kubectl cp} with the real kubectl 1.32 through the gateway to the sandbox: what the
 * user sees, what the recording holds, and that the audit log's end event covers the recording by its digest.
 */
class SessionsThroughGatewayTest {
    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static Kubectl alice;
    private static String pod;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(dir);
        alice = fixture.kubectl(GatewayFixture.ALICE_TOKEN);
        KubectlResult pods = alice.run("get", "pods", "-o", "name");
        assertThat(pods.succeeded()).as(pods.toString()).isTrue();
        pod = pods.stdout().lines().findFirst().orElseThrow().replace("pod/", "");
    }

    @AfterAll
    static void stop() {
        alice.close();
        fixture.close();
    }

    private FileRecordingStore store() throws IOException {
        return new FileRecordingStore(dir.resolve("data/sessions"));
    }

    /** How many sessions have ended so far. */
    private int sessions() throws IOException {
        return store().list().size();
    }

    /**
     * The summary of the session that ended after {@code before} others, and its events in the audit log, which must
     * name its digests. kubectl may exit as soon as it has its output (cp, for one), before the gateway has sealed the
     * recording: this waits for the summary up to 10 s.
     */
    private SessionSummary sessionAfter(int before) throws IOException, InterruptedException {
        List<SessionSummary> all = store().list();
        for (int i = 0; i < 100 && all.size() <= before; i++) {
            Thread.sleep(100);
            all = store().list();
        }
        assertThat(all).hasSize(before + 1);
        SessionSummary summary = all.get(before);
        AuditEvent end = fixture.audit.completed(summary.auditID());
        assertThat(end.verb()).isEqualTo("create");
        assertThat(end.objectRef().subresource()).isEqualTo(summary.subresource());
        assertThat(end.responseStatus().code()).isEqualTo(101);
        Map<String, String> details = end.gatehouse().details();
        assertThat(details).containsEntry("session", summary.id())
                .containsEntry("recording.rawSha256", sha256(dir.resolve("data/sessions/" + summary.id() + ".raw")))
                .containsEntry("recording.castSha256", sha256(dir.resolve("data/sessions/" + summary.id() + ".cast")));
        // create on pods/exec is a mutation: written ahead before anything runs, then the session's start and end
        assertThat(fixture.audit.eventsFor(summary.auditID())).extracting(AuditEvent::stage)
                .containsExactly(AuditEvent.STAGE_REQUEST_RECEIVED, AuditEvent.STAGE_RESPONSE_STARTED,
                        AuditEvent.STAGE_RESPONSE_COMPLETE);
        return summary;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void execKeepsTheExitCodeAndIsRecorded() throws Exception {
        int before = sessions();
        KubectlResult exec = alice.run("exec", pod, "--", "sh", "-c", "echo out-line; exit 3");
        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3); // the command's exit code, through the gateway
        assertThat(exec.stdout()).isEqualTo("out-line\n");
        assertThat(exec.stderr()).contains("command terminated with exit code 3");
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.user()).isEqualTo("alice");
        assertThat(summary.pod()).isEqualTo(pod);
        assertThat(summary.command()).containsExactly("sh", "-c", "echo out-line; exit 3");
        assertThat(summary.exitCode()).isEqualTo(3);
        assertThat(summary.protocol()).isEqualTo("websocket/v5.channel.k8s.io");
        assertThat(Files.readString(dir.resolve("data/sessions/" + summary.id() + ".cast")))
                .contains("\"o\",\"out-line\\n\"");
    }

    @Test
    void pipedStdinReachesThePodAndTheRecording() throws Exception {
        int before = sessions();
        KubectlResult exec = alice.runWithInput("first\nsecond\n", "exec", "-i", pod, "--", "cat");
        assertThat(exec.succeeded()).as(exec.toString()).isTrue();
        assertThat(exec.stdout()).isEqualTo("first\nsecond\n");
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.stdin()).isTrue();
        assertThat(summary.stdinBytes()).isEqualTo(13);
        assertThat(summary.stdoutBytes()).isEqualTo(13);
        assertThat(summary.exitCode()).isZero();
    }

    @Test
    void kubectlCpBothWaysListsEachFileWithItsDigest() throws Exception {
        Path local = dir.resolve("notes.txt");
        Files.writeString(local, "copied through Gatehouse\n");
        int before = sessions();
        KubectlResult up = alice.run("cp", local.toString(), pod + ":/tmp/notes.txt");
        assertThat(up.succeeded()).as(up.toString()).isTrue();
        // kubectl cp checks the target is a directory first (test -d), then copies with tar
        SessionSummary toPod = sessionAfter(before + 1);
        assertThat(toPod.files()).singleElement().satisfies(f -> {
            assertThat(f.direction()).isEqualTo("to-pod");
            assertThat(f.path()).isEqualTo("notes.txt");
            assertThat(f.size()).isEqualTo(25);
            assertThat(f.sha256()).isEqualTo(sha256(local));
        });

        Path back = dir.resolve("hostname.txt");
        before = sessions();
        KubectlResult down = alice.run("cp", pod + ":/etc/hostname", back.toString());
        assertThat(down.succeeded()).as(down.toString()).isTrue();
        SessionSummary fromPod = sessionAfter(before);
        assertThat(fromPod.files()).singleElement().satisfies(f -> {
            assertThat(f.direction()).isEqualTo("from-pod");
            assertThat(f.path()).isEqualTo("etc/hostname");
            assertThat(f.sha256()).isEqualTo(sha256(back));
        });
    }

    @Test
    void anInteractiveTtySessionReplaysWhatTheUserSaw() throws Exception {
        int before = sessions();
        // kubectl -it needs a terminal: script(1) gives it a pseudo-terminal, the test types into it.
        String kubectl = Kubectl.findBinary().orElseThrow() + " --kubeconfig=" + alice.kubeconfig() + " --cache-dir="
                + alice.cacheDir() + " exec -it " + pod + " -- sh";
        Path typescript = dir.resolve("typescript");
        Process process = new ProcessBuilder("timeout", "30", "script", "-qefc", kubectl, typescript.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tty-out.txt").toFile()).start();
        try (OutputStream keys = process.getOutputStream()) {
            Thread.sleep(1500);
            keys.write("echo tty-works\r".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            Thread.sleep(1000);
            keys.write("exit 4\r".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        SessionSummary summary = sessionAfter(before);
        assertThat(summary.tty()).isTrue();
        assertThat(summary.exitCode()).isEqualTo(4);
        String cast = Files.readString(dir.resolve("data/sessions/" + summary.id() + ".cast"));
        assertThat(cast).contains("\"i\",\"echo tty-works\\r\"").contains("\"i\",\"exit 4\\r\"");
        // what the recording replays (stdout and stderr, in order) is what the terminal showed
        StringBuilder replayed = new StringBuilder();
        try (var reader = new dev.gatehouse.session.RawRecording.Reader(Files.newInputStream(
                dir.resolve("data/sessions/" + summary.id() + ".raw")))) {
            dev.gatehouse.session.RawRecording.Entry entry;
            while ((entry = reader.next()) != null) {
                if (entry.stream() == dev.gatehouse.session.RawRecording.STDOUT) {
                    replayed.append(new String(entry.data(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(replayed.toString()).contains("tty-works\r\ntty-works");
        assertThat(Files.readString(typescript)).contains(replayed.toString());
        // the reference player (asciinema 2.x, installed by scripts/prepare-asciinema.sh) reads the cast file and
        // prints exactly that output; it needs a terminal, which script(1) gives it
        Path castFile = dir.resolve("data/sessions/" + summary.id() + ".cast");
        Process player = new ProcessBuilder("timeout", "30", "script", "-qec", "asciinema cat " + castFile, "/dev/null")
                .redirectErrorStream(true).start();
        String played = new String(player.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(player.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(played).isEqualTo(replayed.toString());
    }

    /** Sends one HTTP/1.1 request over TLS by hand (the JDK's client will not send Upgrade) and reads the answer. */
    private String rawExchange(String path, String... headers) throws Exception {
        Path ca = dir.resolve("gateway-ca.pem");
        Files.writeString(ca, fixture.gatewayCaPem);
        javax.net.ssl.SSLContext tls = dev.gatehouse.listen.PemTrust.sslContext(ca);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("127.0.0.1", fixture.gateway.port())) {
            socket.setSoTimeout(10_000);
            javax.net.ssl.SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(params);
            StringBuilder request = new StringBuilder("GET /clusters/sandbox" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + GatewayFixture.ALICE_TOKEN + "\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] buffer = new byte[8192];
            StringBuilder answer = new StringBuilder();
            int n;
            while ((n = socket.getInputStream().read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.toString().contains("\"kind\":\"Status\"") && answer.toString().endsWith("}")) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    @Test
    void upgradesTheBridgeCannotRecordAreRefusedWithAStatus() throws Exception {
        String[] websocket = {"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};
        // not a session subresource
        String proxy = rawExchange("/api/v1/namespaces/dev/pods/" + pod + "/proxy", concat(websocket,
                "Sec-WebSocket-Protocol: v5.channel.k8s.io"));
        assertThat(proxy).startsWith("HTTP/1.1 501").contains("\"kind\":\"Status\"").contains("pods/exec");
        // a subprotocol whose frames the recording could not decode
        String unknown = rawExchange("/api/v1/namespaces/dev/pods/" + pod + "/exec?command=sh", concat(websocket,
                "Sec-WebSocket-Protocol: v9.mystery.example"));
        assertThat(unknown).startsWith("HTTP/1.1 400").contains("v9.mystery.example");
        // an extension (compression would hide the payload from the recording) is never negotiated upstream
        String deflate = rawExchange("/api/v1/namespaces/dev/pods/" + pod + "/exec?command=true&stdout=true",
                concat(websocket, "Sec-WebSocket-Protocol: v5.channel.k8s.io",
                        "Sec-WebSocket-Extensions: permessage-deflate"));
        assertThat(deflate).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
        List<AuditEvent> refused = fixture.audit.requestEvents().stream()
                .filter(e -> e.responseStatus() != null && List.of(400, 501).contains(e.responseStatus().code())
                        && e.requestURI().contains(pod))
                .toList();
        assertThat(refused).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> assertThat(e.user().username())
                .isEqualTo("alice"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
