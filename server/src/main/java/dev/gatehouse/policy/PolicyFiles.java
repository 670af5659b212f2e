package dev.gatehouse.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The bytes of a policy as read once: one file, or the {@code *.yaml} / {@code *.yml} files of a directory in
 * file-name order (hidden files skipped, so a Kubernetes ConfigMap mount's {@code ..data} is not read twice), with
 * their SHA-256. Loading and change detection both work on this one read, so what is hashed is what is loaded.
 *
 * @param source the path or resource as given
 * @param files  each file's name (as errors show it) and bytes
 * @param sha256 hex SHA-256: of the file's bytes for one file; for a directory, of every file's name and bytes
 */
record PolicyFiles(String source, List<PolicyFile> files, String sha256) {
    static final int MAX_FILES = 256;

    /** One file of a policy. */
    record PolicyFile(String name, byte[] bytes) {
    }

    static PolicyFiles read(Path path) {
        String source = path.toString();
        try {
            if (Files.isDirectory(path)) {
                List<Path> paths = new ArrayList<>();
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(path)) {
                    for (Path p : dir) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))
                                && Files.isRegularFile(p)) {
                            paths.add(p);
                        }
                    }
                }
                if (paths.isEmpty()) {
                    throw PolicyException.at(source, 0, null, "no *.yaml or *.yml files in the directory");
                }
                if (paths.size() > MAX_FILES) {
                    throw PolicyException.at(source, 0, null, paths.size() + " files (expected: at most " + MAX_FILES
                            + ")");
                }
                paths.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
                List<PolicyFile> files = new ArrayList<>();
                for (Path p : paths) {
                    files.add(new PolicyFile(p.getFileName().toString(), bounded(p)));
                }
                return of(source, files);
            }
            return of(source, List.of(new PolicyFile(path.getFileName().toString(), bounded(path))));
        } catch (NoSuchFileException e) {
            throw PolicyException.at(source, 0, null, "no such file or directory");
        } catch (IOException e) {
            throw PolicyException.at(source, 0, null, "cannot be read: " + e.getMessage());
        }
    }

    /** A policy shipped on the classpath ({@code policy/default.yaml}). */
    static PolicyFiles resource(String name) {
        try (InputStream in = PolicyFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw PolicyException.at("classpath:" + name, 0, null, "no such resource");
            }
            byte[] bytes = in.readNBytes(PolicyYaml.MAX_FILE_BYTES + 1);
            String file = name.substring(name.lastIndexOf('/') + 1);
            return of("classpath:" + name, List.of(new PolicyFile(file, bytes)));
        } catch (IOException e) {
            throw PolicyException.at("classpath:" + name, 0, null, "cannot be read: " + e.getMessage());
        }
    }

    static PolicyFiles of(String source, List<PolicyFile> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (files.size() == 1) {
            sha.update(files.get(0).bytes());
        } else {
            for (PolicyFile f : files) {
                sha.update(f.name().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(f.bytes().length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) 0);
                sha.update(f.bytes());
            }
        }
        return new PolicyFiles(source, List.copyOf(files), HexFormat.of().formatHex(sha.digest()));
    }

    /** Reads at most one byte more than a policy file may have, so a huge file is refused without reading it. */
    private static byte[] bounded(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(PolicyYaml.MAX_FILE_BYTES + 1);
        }
    }
}
