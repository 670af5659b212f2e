package dev.gatehouse.mask.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.mask.Fingerprints;

/**
 * The ordinary-data corpus ({@code src/test/resources/detect/corpus}, about 1.4 MB made by a seeded generator:
 * Kubernetes pods as JSON and deployments as YAML with image digests, uids, resourceVersions and container ids;
 * nginx, Java and Go logs with timestamps, request and trace ids, stack traces and Go panics; git logs with commit
 * and Change-Ids; base64 of ordinary text; kubectl tables and describe output): the detectors must leave it as it is.
 */
class TextMaskerCorpusTest {
    static final List<String> FILES = List.of("pods.json", "deployments.yaml", "nginx.log", "java.log", "go.log",
            "git.log", "base64.log", "kubectl.txt", "tricky.log");
    private static final Pattern HEXISH = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|sha256:[0-9a-f]{64}|\\b(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})\\b");

    @ParameterizedTest
    @ValueSource(strings = {"pods.json", "deployments.yaml", "nginx.log", "java.log", "go.log", "git.log",
            "base64.log", "kubectl.txt", "tricky.log"})
    void leavesUidsDigestsAndCommitIdsAlone(String file) {
        String text = Samples.resource("corpus/" + file);
        String masked = Samples.maskWhole(text);

        List<String> ids = new ArrayList<>();
        Matcher m = HEXISH.matcher(text);
        while (m.find()) {
            ids.add(m.group());
        }
        assertThat(ids).as("ids in %s", file).isNotEmpty();
        assertThat(masked).as("masked %s", file).contains(ids);
    }

    @Test
    void masksFewerThanOneValuePerMegabyteOfOrdinaryData() {
        long bytes = 0;
        long markers = 0;
        for (String file : FILES) {
            byte[] text = Samples.bytes(Samples.resource("corpus/" + file));
            String masked = new String(Samples.maskAt(text, List.of(4096, 65536, 17)), StandardCharsets.UTF_8);
            bytes += text.length;
            markers += count(masked, Fingerprints.PREFIX);
        }
        double perMegabyte = markers / (bytes / 1_000_000.0);
        System.out.printf("ordinary-data corpus: %d bytes, %d markers, %.2f markers per MB%n", bytes, markers,
                perMegabyte);
        assertThat(bytes).isGreaterThan(500_000);
        assertThat(perMegabyte).isLessThan(1.0);
    }

    @Test
    void findsEveryPlantedSecretInTheCorpus() {
        String text = Samples.resource("corpus/go.log");
        String planted = text.substring(0, 100_000) + "\nleaked " + Samples.AWS_KEY_ID + " and " + Samples.GITHUB + "\n"
                + Samples.resource("openssh.key") + text.substring(100_000, 200_000);

        String masked = Samples.maskWhole(planted);

        assertThat(masked).doesNotContain(Samples.AWS_KEY_ID, Samples.GITHUB, "b3BlbnNzaC1rZXktdjEA");
        assertThat(count(masked, Fingerprints.PREFIX)).isEqualTo(3);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
