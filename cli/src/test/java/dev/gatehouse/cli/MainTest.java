package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** A mistake on the command line is one line on stderr and exit code 2, not the whole usage text. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void anUnknownOptionIsOneLineNamingTheCommandAndItsHelp() {
        assertThat(run("audit", "query", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "gatehouse audit query: Unknown option: '--bogus' (see 'gatehouse audit query --help')"
                        + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aValueOutsideTheChoicesSaysWhichAreAllowed() {
        assertThat(run("audit", "query", "--log-dir", "/nonexistent", "-o", "json")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("gatehouse audit query: Invalid value for option '--output': expected one of [table, jsonl, csv]");
    }

    @Test
    void anUnknownCommandIsOneLineToo() {
        assertThat(run("audti")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("gatehouse: Unmatched argument at index 0: 'audti'")
                .endsWith("(see 'gatehouse --help')");
    }
}
