package dev.gatehouse.session;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files a {@code kubectl cp} moved, recognised from the exec stream itself: {@code kubectl cp} runs
 * {@code tar cf -} (the archive on stdout) or {@code tar xmf -} (on stdin) in the container, so a stream that starts
 * with a ustar header is read with Apache Commons Compress and each regular file listed with its size and SHA-256.
 * A stream that is not tar lists nothing; one that breaks off or is malformed lists what was readable and says so.
 */
public final class CopiedFiles {
    private CopiedFiles() {
    }

    public static List<SessionSummary.CopiedFile> read(InputStream stream, String direction) throws IOException {
        List<SessionSummary.CopiedFile> files = new ArrayList<>();
        byte[] head = stream.readNBytes(512);
        if (head.length < 512 || !new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return files;
        }
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), stream);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(whole)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                MessageDigest digest = sha256();
                long size = 0;
                byte[] buffer = new byte[8192];
                int n;
                while ((n = tar.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
                files.add(new SessionSummary.CopiedFile(direction, entry.getName(), size,
                        HexFormat.of().formatHex(digest.digest())));
            }
        } catch (IOException | RuntimeException e) {
            // A cut or malformed archive: what was read stays listed, and the summary says the rest was unreadable.
            files.add(new SessionSummary.CopiedFile(direction, "(unreadable tar stream: " + e.getMessage() + ")", -1,
                    ""));
        }
        return files;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
