package dev.gatehouse.sandbox.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FakeShellTest {
    /** Collects what a command writes. */
    private static final class Recorder implements Terminal {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StringBuilder err = new StringBuilder();
        Integer exit;

        @Override
        public void stdout(byte[] data) {
            out.writeBytes(data);
        }

        @Override
        public void stderr(byte[] data) {
            err.append(new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void exit(int code) {
            exit = code;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static Recorder run(List<String> command, String stdin, boolean tty) {
        Recorder terminal = new Recorder();
        FakeShell shell = new FakeShell(command, "pod-1", Map.of("APP_ENV", "dev"), tty, terminal);
        shell.start();
        if (stdin != null) {
            shell.stdin(stdin.getBytes(StandardCharsets.UTF_8));
        }
        shell.stdinClosed();
        return terminal;
    }

    @Test
    void runsSimpleCommands() {
        Recorder echo = run(List.of("echo", "a", "b"), null, false);
        assertThat(echo.out()).isEqualTo("a b\n");
        assertThat(echo.exit).isZero();
        assertThat(run(List.of("printenv", "APP_ENV"), null, false).out()).isEqualTo("dev\n");
        assertThat(run(List.of("/bin/cat", "/etc/hostname"), null, false).out()).isEqualTo("pod-1\n");
        Recorder missing = run(List.of("nope"), null, false);
        assertThat(missing.err).hasToString("sh: nope: not found\n");
        assertThat(missing.exit).isEqualTo(127);
    }

    @Test
    void streamsStdinThroughCatAndInterpretsShellInput() {
        assertThat(run(List.of("cat"), "x\ny", false).out()).isEqualTo("x\ny");
        Recorder sh = run(List.of("sh"), "echo 'one two'\ntest -d /tmp && echo dir\nexit 4\necho never\n", false);
        assertThat(sh.out()).isEqualTo("one two\ndir\n");
        assertThat(sh.exit).isEqualTo(4);
        assertThat(run(List.of("sh", "-c", "false; echo after"), null, false).out()).isEqualTo("after\n");
    }

    @Test
    void echoesKeystrokesAndPromptsWithATty() {
        Recorder tty = run(List.of("sh"), "hostname\r", true);
        assertThat(tty.out()).isEqualTo("/ # hostname\r\npod-1\n/ # ");
    }

    @Test
    void writesATarOfOneFileForKubectlCp() {
        byte[] tar = run(List.of("tar", "cf", "-", "/app/config.yaml"), null, false).out.toByteArray();
        assertThat(tar.length % 512).isZero();
        assertThat(new String(tar, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("app/config.yaml");
        assertThat(new String(tar, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
        assertThat(new String(tar, 512, 24, StandardCharsets.US_ASCII)).isEqualTo("server:\n  port: 8080\n\0\0\0");
    }

    @Test
    void splitsWordsWithQuotes() {
        assertThat(FakeShell.words(" echo 'a b'  \"c\"d ")).containsExactly("echo", "a b", "cd");
    }
}
