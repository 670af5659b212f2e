package dev.gatehouse.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cli.Main;
import dev.gatehouse.mask.Fingerprints;
import dev.gatehouse.mask.MaskKeys;
import picocli.CommandLine;

class FingerprintCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void tellsWhetherASuspectedValueIsTheMaskedOneWithoutPrintingIt() throws Exception {
        MaskKeys keys = MaskKeys.open(dir);
        String marker = Fingerprints.with(keys.current()).dataMarker("hunter2".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("right"), "hunter2\n");
        Files.writeString(dir.resolve("wrong"), "hunter3\n");

        String[] match = run("audit", "fingerprint", marker, "--data-dir", dir.toString(), "--value-file",
                dir.resolve("right").toString());
        assertThat(match[0]).as(match[2]).isEqualTo("0");
        assertThat(match[1]).startsWith("MATCH").doesNotContain("hunter2");

        String[] noMatch = run("audit", "fingerprint", marker, "--data-dir", dir.toString(), "--value-file",
                dir.resolve("wrong").toString());
        assertThat(noMatch[0]).isEqualTo("1");
        assertThat(noMatch[1]).startsWith("NO MATCH").doesNotContain("hunter3");

        String[] notMarker = run("audit", "fingerprint", "hello", "--data-dir", dir.toString(), "--value-file",
                dir.resolve("right").toString());
        assertThat(notMarker[0]).isEqualTo("2");
        assertThat(notMarker[2]).contains("is not a mask marker").doesNotContain("\tat ");

        String[] noKeys = run("audit", "fingerprint", marker, "--data-dir", dir.resolve("elsewhere").toString(),
                "--value-file", dir.resolve("right").toString());
        assertThat(noKeys[0]).isEqualTo("2");
        assertThat(noKeys[2].lines()).hasSize(1);
    }
}
