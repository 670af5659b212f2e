package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.AuditLog.AuditHealth;
import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.audit.SystemEvents;

/**
 * The log's only writer, on its own thread: takes whatever is queued (up to a batch), gives each event the next
 * position, writes the batch, forces it to the device once, and only then completes the batch's futures. On an
 * I/O error it fails the batch and everything queued, reports the log not writable, and probes until writing
 * works again.
 */
final class GroupCommitWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final FileAuditLogConfig config;
    private final SegmentOpener opener;
    private final BlockingQueue<PendingAppend> queue;
    private final List<PendingAppend> batch = new ArrayList<>();
    private volatile AuditHealth health = AuditHealth.failing("audit log is opening");
    private ActiveSegment active;
    private long nextSeq;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private TailRecovery.Result recovery;

    GroupCommitWriter(FileAuditLogConfig config, SegmentOpener opener, BlockingQueue<PendingAppend> queue) {
        this.config = config;
        this.opener = opener;
        this.queue = queue;
    }

    AuditHealth health() {
        return health;
    }

    /** Opens the log on the caller's thread; when it cannot, the log starts not writable and probes. */
    void start() {
        try {
            openLog();
            health = AuditHealth.ok();
        } catch (IOException | RuntimeException e) {
            markFailing(e);
        }
    }

    /** What recovery cut at the last open, or null when the tail was intact. */
    TailRecovery.Result takeRecovery() {
        TailRecovery.Result r = recovery;
        recovery = null;
        return r != null && r.cutBytes() > 0 ? r : null;
    }

    @Override
    public void run() {
        boolean closing = false;
        while (!closing) {
            PendingAppend first;
            try {
                first = queue.poll(config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                if (!health.writable()) {
                    probe();
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, config.maxBatch() - 1);
            closing = batch.remove(PendingAppend.CLOSE);
            if (!batch.isEmpty()) {
                writeBatch();
            }
            batch.clear();
        }
        closeSegment();
    }

    private void writeBatch() {
        if (!health.writable() && !probe()) {
            failAll(batch, health.problem(), null);
            return;
        }
        try {
            if (active.committedSize() >= config.segmentBytes()) {
                rotate();
            }
            long first = nextSeq;
            long seq = encode(first);
            active.writeDurably(buffer);
            nextSeq = seq;
            complete(first);
        } catch (IOException | RuntimeException e) {
            markFailing(e);
            if (active != null) {
                active.rollback();
            }
            failAll(batch, health.problem(), e);
            List<PendingAppend> queued = new ArrayList<>();
            queue.drainTo(queued);
            if (queued.remove(PendingAppend.CLOSE)) {
                queue.add(PendingAppend.CLOSE);
            }
            failAll(queued, health.problem(), e);
        }
    }

    /** Writes the batch's lines into the buffer, numbering from {@code first}; returns the next free position. */
    private long encode(long first) {
        buffer.clear();
        long seq = first;
        for (int i = 0; i < batch.size(); i++) {
            PendingAppend p = batch.get(i);
            byte[] line;
            try {
                line = AuditEventJson.toBytes(SystemEvents.withGatehouseSection(p.event()).withSeq(seq));
            } catch (RuntimeException e) {
                p.future().completeExceptionally(e);
                batch.set(i, null);
                continue;
            }
            ensureRoom(line.length + 1);
            buffer.put(line).put((byte) '\n');
            seq++;
        }
        buffer.flip();
        return seq;
    }

    private void complete(long first) {
        long seq = first;
        for (PendingAppend p : batch) {
            if (p != null) {
                p.future().complete(seq++);
            }
        }
    }

    private void ensureRoom(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    private void rotate() throws IOException {
        ActiveSegment sealed = active;
        active = null;
        sealed.close();
        active = ActiveSegment.open(opener, Segment.in(config.directory(), nextSeq), 0);
        LOG.info("audit log: sealed {}, writing {}", sealed.segment().path().getFileName(),
                active.segment().path().getFileName());
    }

    private void openLog() throws IOException {
        Path dir = config.directory();
        Files.createDirectories(dir);
        List<Segment> segments = Segment.list(dir);
        if (segments.isEmpty()) {
            nextSeq = 0;
            active = ActiveSegment.open(opener, Segment.in(dir, 0), 0);
            return;
        }
        Segment last = segments.getLast();
        recovery = TailRecovery.recover(last);
        nextSeq = recovery.nextSeq();
        active = ActiveSegment.open(opener, last, recovery.size());
    }

    /** Checks whether the log can be written again; on success it is writable. */
    private boolean probe() {
        try {
            if (active == null) {
                openLog();
            } else {
                probeWrite();
                active.reopen();
            }
            health = AuditHealth.ok();
            LOG.info("audit log: writable again at position {}", nextSeq);
            return true;
        } catch (IOException | RuntimeException e) {
            health = AuditHealth.failing(problem(e));
            return false;
        }
    }

    private void probeWrite() throws IOException {
        Path probe = config.directory().resolve(".probe");
        try (FileChannel ch = opener.open(probe)) {
            ByteBuffer bytes = ByteBuffer.allocate(4096);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private void markFailing(Throwable e) {
        boolean wasWritable = health.writable();
        health = AuditHealth.failing(problem(e));
        if (wasWritable) {
            LOG.error("audit log: not writable, refusing requests until it is: {}", health.problem());
        }
    }

    private String problem(Throwable e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "audit log " + config.directory() + " is not writable: " + what;
    }

    private static void failAll(List<PendingAppend> pending, String problem, Throwable cause) {
        for (PendingAppend p : pending) {
            if (p != null && p.future() != null) {
                p.future().completeExceptionally(new AuditLogUnavailableException(problem, cause));
            }
        }
    }

    private void closeSegment() {
        if (active != null) {
            try {
                active.close();
            } catch (IOException e) {
                LOG.error("audit log: closing {} failed: {}", active.segment().path().getFileName(), e.toString());
            }
            active = null;
        }
        health = AuditHealth.failing("audit log is closed");
    }

    long nextSeq() {
        return nextSeq;
    }
}
