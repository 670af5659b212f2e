package dev.gatehouse.sandbox.exec;

import java.nio.charset.StandardCharsets;

/** Where a running fake command writes: its standard output and error, and how it ends. */
public interface Terminal {
    void stdout(byte[] data);

    void stderr(byte[] data);

    /** Ends the command with an exit code; nothing may be written after. */
    void exit(int code);

    default void stdout(String text) {
        stdout(text.getBytes(StandardCharsets.UTF_8));
    }

    default void stderr(String text) {
        stderr(text.getBytes(StandardCharsets.UTF_8));
    }
}
