package dev.gatehouse.audit.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a segment for appending; tests substitute channels that fail like a full disk. */
@FunctionalInterface
interface SegmentOpener {
    SegmentOpener FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    FileChannel open(Path path) throws IOException;
}
