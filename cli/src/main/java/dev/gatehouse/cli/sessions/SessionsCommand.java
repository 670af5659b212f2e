package dev.gatehouse.cli.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.gatehouse.cli.audit.GatewayOptions;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.RawRecording;
import dev.gatehouse.session.RecordingStore;

/**
 * {@code gatehouse sessions}: the exec, attach and port-forward sessions Gatehouse recorded. Each subcommand reads
 * through the live gateway's API ({@code --server}: the read is itself recorded there, and live sessions are
 * visible) or offline from a sessions directory ({@code --dir}, the gateway's {@code <dataDir>/sessions}).
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = "List, show, replay, export, watch and end recorded exec, attach and port-forward sessions.",
        subcommands = {SessionsCommand.ListCommand.class, SessionsCommand.ShowCommand.class,
                SessionsCommand.PlayCommand.class, SessionsCommand.ExportCommand.class,
                SessionsCommand.WatchCommand.class, SessionsCommand.KillCommand.class})
public final class SessionsCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("gatehouse sessions: a subcommand is required (list, show, play, export, "
                + "watch, kill); see 'gatehouse sessions --help'");
        return 2;
    }

    /** What the subcommands share: where the sessions are, and one line on stderr with exit 2 for any failure. */
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = "data/sessions",
                description = "The sessions directory, the gateway's <dataDir>/sessions (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("gatehouse sessions " + spec.name() + ": " + e.getMessage());
                return 2;
            }
        }

        abstract int run() throws IOException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        RecordingStore store() throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new IOException("no sessions directory at " + dir + " (use --dir DIR or --server URL)");
            }
            return new FileRecordingStore(dir);
        }

        /** A part of a session's recording, from the gateway or the directory. */
        InputStream open(String id, RecordingStore.Part part) throws IOException {
            if (gateway.remote()) {
                return gateway.client().stream("sessions/" + id + "/" + part.suffix(), Map.of());
            }
            RecordingStore store = store();
            if (store.summary(id).isEmpty()) {
                throw new IOException("no finished session " + id + " in " + dir);
            }
            return store.open(id, part);
        }
    }

    /** A subcommand about one session, named by its id (checked before anything is read). */
    abstract static class OneSession extends Subcommand {
        @Parameters(paramLabel = "SESSION", description = "The session's id (gatehouse sessions list shows them).")
        String id;

        @Override
        final int run() throws IOException {
            RecordingStore.checkId(id);
            return run(id);
        }

        abstract int run(String session) throws IOException;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sessions, oldest first.")
    static final class ListCommand extends Subcommand {
        @Override
        int run() throws IOException {
            JsonNode list = gateway.remote() ? JSON.readTree(gateway.client().text("sessions", Map.of()))
                    : JSON.valueToTree(Map.of("items", store().list()));
            String format = "%-36s  %-27s  %-14s  %-10s  %-32s  %-11s  %-4s  %s%n";
            out().printf(format, "SESSION", "STARTED", "USER", "CLUSTER", "NAMESPACE/POD", "KIND", "EXIT", "ENDED");
            for (JsonNode s : list.path("items")) {
                out().printf(format, s.path("id").asText(), s.path("started").asText(), s.path("user").asText(),
                        s.path("cluster").asText(), s.path("namespace").asText() + "/" + s.path("pod").asText(),
                        s.path("subresource").asText(), s.path("exitCode").isMissingNode() ? "-"
                                : s.path("exitCode").asText(), s.path("endReason").asText());
            }
            for (JsonNode s : list.path("live")) {
                out().printf(format, s.path("id").asText(), s.path("started").asText(), s.path("user").asText(),
                        s.path("cluster").asText(), s.path("namespace").asText() + "/" + s.path("pod").asText(),
                        s.path("subresource").asText(), "-", "(live)");
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Who, where, which command, exit code, files copied, forwarded connections, the recording's "
                    + "digests.")
    static final class ShowCommand extends OneSession {
        @Override
        int run(String id) throws IOException {
            if (gateway.remote()) {
                out().println(JSON.writeValueAsString(JSON.readTree(gateway.client().text("sessions/" + id,
                        Map.of()))));
            } else {
                out().println(JSON.writeValueAsString(store().summary(id).orElseThrow(() ->
                        new IllegalArgumentException("no finished session " + id + " in " + dir))));
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "play", mixinStandardHelpOptions = true,
            description = "Replay a session's output on this terminal, byte for byte, with its timing.")
    static final class PlayCommand extends OneSession {
        @Option(names = "--speed", defaultValue = "1", description = "Play faster (2) or slower (0.5).")
        double speed;

        @Option(names = "--idle-limit", paramLabel = "SECONDS", defaultValue = "2",
                description = "Cut pauses longer than this (default: ${DEFAULT-VALUE}); 0 keeps them.")
        double idleLimit;

        @Option(names = "--no-wait", description = "Print the output at once, without the timing.")
        boolean noWait;

        @Override
        int run(String id) throws IOException {
            if (speed <= 0) {
                throw new IllegalArgumentException("--speed " + speed + " (expected: > 0)");
            }
            OutputStream terminal = System.out;
            long previous = 0;
            try (RawRecording.Reader reader = new RawRecording.Reader(open(id, RecordingStore.Part.RAW))) {
                RawRecording.Entry entry;
                while ((entry = reader.next()) != null) {
                    if (entry.stream() != RawRecording.STDOUT && entry.stream() != RawRecording.STDERR) {
                        continue;
                    }
                    double gap = (entry.micros() - previous) / 1e6;
                    previous = entry.micros();
                    if (!noWait) {
                        if (idleLimit > 0) {
                            gap = Math.min(gap, idleLimit);
                        }
                        sleep(gap / speed);
                    }
                    terminal.write(entry.data());
                    terminal.flush();
                }
            }
            return 0;
        }

        private static void sleep(double seconds) {
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a session's recording as an asciicast v2 file (asciinema play), or its exact raw "
                    + "record (--raw).")
    static final class ExportCommand extends OneSession {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here (default: stdout).")
        Path output;

        @Option(names = "--raw", description = "The exact bytes of every channel (gatehouse-session-raw/1).")
        boolean raw;

        @Override
        int run(String id) throws IOException {
            try (InputStream in = open(id, raw ? RecordingStore.Part.RAW : RecordingStore.Part.CAST)) {
                if (output == null) {
                    in.transferTo(System.out);
                    System.out.flush();
                } else {
                    Files.copy(in, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return 0;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a live session read-only, through the gateway (--server): its output as it happens.")
    static final class WatchCommand extends OneSession {
        @Option(names = "--cast", description = "Print the asciicast lines instead of the output.")
        boolean cast;

        @Override
        int run(String id) throws IOException {
            if (!gateway.remote()) {
                throw new IllegalArgumentException("watch follows a live session through the gateway: give --server");
            }
            try (InputStream in = gateway.client().stream("sessions/" + id + "/watch", Map.of());
                 var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                boolean header = true;
                while ((line = lines.readLine()) != null) {
                    if (cast) {
                        out().println(line);
                        out().flush();
                    } else if (!header) {
                        JsonNode event = JSON.readTree(line);
                        if ("o".equals(event.path(1).asText())) {
                            out().print(event.path(2).asText());
                            out().flush();
                        }
                    }
                    header = false;
                }
            }
            return 0;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "End a live session (audit.sessions.moderators); the user sees why on the error channel.")
    static final class KillCommand extends OneSession {
        @Override
        int run(String id) throws IOException {
            if (!gateway.remote()) {
                throw new IllegalArgumentException("kill ends a live session on the gateway: give --server");
            }
            gateway.client().post("sessions/" + id + "/kill");
            out().println("session " + id + " ended");
            out().flush();
            return 0;
        }
    }

}
