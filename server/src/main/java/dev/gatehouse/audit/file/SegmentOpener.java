package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a segment for appending; tests substitute channels that fail like a full disk. The channels write
 * through ({@code O_DSYNC}): a write that returns is on the device with what is needed to read it back, as after
 * {@code fdatasync}, in one system call instead of two. Measured on this project's machines (1.5 KiB commits into
 * a zero-filled file, 9 alternating runs): 33-34 µs of CPU per commit instead of 36-47 µs; latency the same.
 */
@FunctionalInterface
interface SegmentOpener {
    SegmentOpener FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.DSYNC);

    FileChannel open(Path path) throws IOException;
}
