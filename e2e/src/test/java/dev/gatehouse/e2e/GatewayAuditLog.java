package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.config.GatehouseConfig;

/**
 * The durable audit log of a gateway under test, read back from disk each time it is asked: the third thing every
 * end-to-end test asserts on, after kubectl's result and what the upstream received.
 */
public final class GatewayAuditLog {
    private final Path directory;

    /** The audit log of the gateway started with {@code config}. */
    public GatewayAuditLog(GatehouseConfig config) {
        this.directory = Gatehouse.auditDirectory(config);
    }

    /** Every event in the log, in log order. */
    public List<AuditEvent> events() {
        try (Stream<AuditEvent> events = AuditLogReader.events(directory)) {
            return events.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gateway's audit log", e);
        }
    }

    /** Every event of a forwarded or refused request (no other kinds of event), in log order. */
    public List<AuditEvent> requestEvents() {
        return events().stream().filter(e -> e.gatehouse() != null && "request".equals(e.gatehouse().type())).toList();
    }

    /** Every event with this audit id, in log order. */
    public List<AuditEvent> eventsFor(String auditId) {
        return events().stream().filter(e -> auditId.equals(e.auditID())).toList();
    }

    /** The one {@code ResponseComplete} event with this audit id; fails when there is none or more than one. */
    public AuditEvent completed(String auditId) {
        List<AuditEvent> complete = eventsFor(auditId).stream()
                .filter(e -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(e.stage())).toList();
        if (complete.size() != 1) {
            throw new AssertionError("expected exactly one ResponseComplete for " + auditId + ", got " + complete);
        }
        return complete.get(0);
    }

    /** The raw text of the log's files, to show what they never contain. */
    public String raw() {
        try (Stream<Path> files = Files.walk(directory)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
