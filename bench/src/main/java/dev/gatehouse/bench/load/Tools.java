package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short external commands: the tools' versions for the report, {@code jcmd}. */
final class Tools {
    private Tools() {
    }

    /** The first non-empty line the command prints (stdout and stderr together), or "unavailable". */
    static String firstLine(List<String> command) {
        return output(command).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("unavailable");
    }

    /** Everything a short command prints (stdout and stderr together); empty if it cannot run. */
    static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
