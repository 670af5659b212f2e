package dev.gatehouse.mask.detect;

import static dev.gatehouse.mask.detect.Samples.bytes;
import static dev.gatehouse.mask.detect.Samples.marker;
import static dev.gatehouse.mask.detect.Samples.maskWhole;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.mask.Fingerprints;

class TextMaskerTest {
    /** kind, the line as printed, the value that must become a marker. */
    static Stream<Arguments> secrets() {
        String pem = Samples.resource("rsa-pkcs1.pem");
        String pemEscaped = Samples.resource("pkcs8.pem").replace("\n", "\\n");
        return Stream.of(
                Arguments.of("pem rsa", "key follows\n" + pem + "done\n", pem.strip()),
                Arguments.of("pem ec", "x " + Samples.resource("ec.pem") + "y", Samples.resource("ec.pem").strip()),
                Arguments.of("pem pkcs8", Samples.resource("pkcs8.pem"), Samples.resource("pkcs8.pem").strip()),
                Arguments.of("pem encrypted", Samples.resource("encrypted.pem"),
                        Samples.resource("encrypted.pem").strip()),
                Arguments.of("pem openssh", "cat id: " + Samples.resource("openssh.key"),
                        Samples.resource("openssh.key").strip()),
                Arguments.of("gcp key json", "{\"type\": \"service_account\", \"private_key_id\": \"" + "0a1b".repeat(10)
                        + "\", \"private_key\": \"" + pemEscaped + "\", \"client_email\": \"a@p.iam.gserviceaccount.com\"}",
                        pemEscaped),
                Arguments.of("gcp key id", "{\"private_key_id\": \"" + "0a1b".repeat(10) + "\"}", "0a1b".repeat(10)),
                Arguments.of("aws key id", "using credentials AKIA: " + Samples.AWS_KEY_ID + " for s3", Samples.AWS_KEY_ID),
                Arguments.of("aws temporary id", "id=ASIAZ7QXJ4N2KD5WLM3P,", "ASIAZ7QXJ4N2KD5WLM3P"),
                Arguments.of("aws secret ini", "aws_secret_access_key = " + Samples.AWS_SECRET + "\n", Samples.AWS_SECRET),
                Arguments.of("aws secret env", "export AWS_SECRET_ACCESS_KEY=" + Samples.AWS_SECRET, Samples.AWS_SECRET),
                Arguments.of("aws secret json", "{\"SecretAccessKey\": \"" + Samples.AWS_SECRET + "\"}", Samples.AWS_SECRET),
                Arguments.of("github", "token " + Samples.GITHUB + " ok", Samples.GITHUB),
                Arguments.of("github pat", "GH_TOKEN=" + Samples.GITHUB_PAT, Samples.GITHUB_PAT),
                Arguments.of("slack", "slack: " + Samples.SLACK + "\n", Samples.SLACK),
                Arguments.of("jwt", "{\"token\":\"" + Samples.JWT + "\"}", Samples.JWT),
                Arguments.of("bearer header", "Authorization: Bearer " + Samples.BEARER + "\r\n", Samples.BEARER),
                Arguments.of("bearer lower", "sending bearer " + Samples.BEARER + " upstream", Samples.BEARER),
                Arguments.of("url password", "connecting to postgres://app:" + Samples.URL_PASSWORD
                        + "@db.prod:5432/orders", Samples.URL_PASSWORD),
                Arguments.of("high entropy", "api_key: " + Samples.HIGH_ENTROPY + " (rotated)", Samples.HIGH_ENTROPY),
                Arguments.of("high entropy glued", "secret:" + Samples.HIGH_ENTROPY + ";", Samples.HIGH_ENTROPY),
                Arguments.of("high entropy after =", "API_KEY=" + Samples.HIGH_ENTROPY, Samples.HIGH_ENTROPY),
                Arguments.of("utf-8 around", "clé « " + Samples.AWS_KEY_ID + " » ключ", Samples.AWS_KEY_ID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void masksEachKindInTheMiddleOfALine(String kind, String line, String secret) {
        String masked = maskWhole("before " + line + " after\n");

        assertThat(masked).doesNotContain(secret).contains(marker(secret)).startsWith("before ").endsWith(" after\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void masksTheSameWhereverTheStreamIsCut(String kind, String line, String secret) {
        byte[] text = bytes("log line one\n" + line + "\nlast line\n");
        byte[] whole = Samples.maskAt(text, List.of());
        int step = text.length > 600 ? 7 : 1;
        for (int cut = 1; cut < text.length; cut += step) {
            assertThat(Samples.maskAt(text, List.of(cut, text.length)))
                    .as("cut at byte %d", cut).isEqualTo(whole);
        }
        assertThat(Samples.maskAt(text, List.of(1))).as("byte by byte").isEqualTo(whole);
        assertThat(new String(whole, StandardCharsets.UTF_8)).doesNotContain(secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FFFbearer sk9Q2w7E4r1T8y5U3i6O0p2A9s7D end\n", "xAKIAZ7QXJ4N2KD5WLM3P\n",
            "a-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\n", "zaws_secret_access_key=x\n"})
    void aWordGluedToAContextMasksTheSameInAnyChunking(String line) {
        byte[] text = bytes(line);
        byte[] whole = Samples.maskAt(text, List.of());
        for (int cut = 1; cut < text.length; cut++) {
            assertThat(Samples.maskAt(text, List.of(cut, text.length))).as("cut at byte %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void masksOnlyThePasswordOfAUrl() {
        assertThat(maskWhole("redis://default:" + Samples.URL_PASSWORD + "@cache:6379/0"))
                .isEqualTo("redis://default:" + marker(Samples.URL_PASSWORD) + "@cache:6379/0");
    }

    @Test
    void masksTheBearerTokenAndKeepsTheHeaderName() {
        assertThat(maskWhole("Authorization: Bearer " + Samples.BEARER))
                .isEqualTo("Authorization: Bearer " + marker(Samples.BEARER));
    }

    @Test
    void sendsAFinishedLineWithoutAPossibleMatchAtOnce() {
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));

        assertThat(masker.mask(bytes("GET /healthz 200 0.001s\n"))).isEqualTo(bytes("GET /healthz 200 0.001s\n"));
        assertThat(masker.held()).isZero();
    }

    @Test
    void holdsOnlyTheLastWordOfAnUnfinishedLine() {
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));

        assertThat(new String(masker.mask(bytes("user logged in with AKIAZ7QX")), StandardCharsets.UTF_8))
                .isEqualTo("user logged in with ");
        assertThat(new String(masker.mask(bytes("J4N2KD5WLM3P\n")), StandardCharsets.UTF_8))
                .isEqualTo(marker(Samples.AWS_KEY_ID) + "\n");
    }

    @Test
    void holdsAPemBlockUntilItsEndLine() {
        String pem = Samples.resource("ec.pem");
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));
        int half = pem.length() / 2;

        assertThat(masker.mask(bytes("key:\n" + pem.substring(0, half)))).isEqualTo(bytes("key:\n"));
        assertThat(new String(masker.mask(bytes(pem.substring(half))), StandardCharsets.UTF_8))
                .isEqualTo(marker(pem.strip()) + "\n");
    }

    @Test
    void masksAnUnendedPemBlockWholeOnceItOutgrowsTheHold() {
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));
        StringBuilder sent = new StringBuilder();
        sent.append(new String(masker.mask(bytes("-----BEGIN RSA PRIVATE KEY-----\n")), StandardCharsets.UTF_8));
        String line = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7\n";
        for (int i = 0; i < 300; i++) {
            sent.append(new String(masker.mask(bytes(line)), StandardCharsets.UTF_8));
        }
        sent.append(new String(masker.finish(), StandardCharsets.UTF_8));

        assertThat(sent.toString()).doesNotContain("MIIEowIBAAKCAQEA").startsWith(Fingerprints.PREFIX);
        assertThat(masker.held()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "uid: 3f2a9c1e-7b4d-4e8a-9c3f-1a2b3c4d5e6f",
            "image: nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
            "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "request_id=5d41402abc4b2a76b9719d911017c592",
            "containerID: containerd://1c9d8f7e6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d",
            "pod nginx-deployment-7fb96c846b-xk2lp scheduled to ip-10-0-1-23.eu-west-1.compute.internal",
            "content=VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4g",
            "at org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
            "see https://example.com/docs/getting-started#install for details",
            "eyJub3QiOiJhIGp3dCJ9.eyJ4IjoxfQ.e30 is base64 but its header has no alg"})
    void leavesOrdinaryValuesAlone(String line) {
        assertThat(maskWhole(line + "\n")).isEqualTo(line + "\n");
    }

    @Test
    void doesNotMaskItsOwnMarkers() {
        String once = maskWhole("token " + Samples.GITHUB + "\n");

        assertThat(maskWhole(once)).isEqualTo(once);
    }

    @Test
    void keepsMemoryFlatOverALongStream() {
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));
        byte[] chunk = bytes(("2026-11-03T08:00:00Z info request " + Samples.AWS_KEY_ID + " served\n").repeat(500));
        long out = 0;
        for (int i = 0; i < 2000; i++) {
            out += masker.mask(chunk).length;
            assertThat(masker.held()).isLessThanOrEqualTo(TextMasker.MAX_HOLD);
        }
        assertThat(masker.maskedCount()).isEqualTo(1_000_000);
        assertThat(out).isPositive();
    }

    @Test
    void masksATokenCutInACompactJsonLineLongerThanTheHold() {
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; line.length() < 4096 * 5 - 20; i++) {
            line.append("\"k").append(i).append("\":\"v").append(i).append("\",");
        }
        line.append("\"token\":\"").append(Samples.GITHUB).append("\"}\n");
        for (int i = 0; i < 5; i++) {
            line.append(line, 0, 4096);
        }
        byte[] text = bytes(line.toString());

        for (int chunk : new int[] {4096, 1000, 97}) {
            String masked = new String(Samples.maskAt(text, List.of(chunk)), StandardCharsets.UTF_8);
            assertThat(masked).as("in chunks of %d", chunk).doesNotContain("Zx8Rt5Kq2Lm9Vb3Nc7Hd1Fg6Js4Pw0Ya8UeI")
                    .contains(marker(Samples.GITHUB));
        }
    }

    @Test
    void treatsAnOverlongLineAsComplete() {
        TextMasker masker = new TextMasker(Fingerprints.with(Samples.KEY));
        byte[] noSpaces = bytes("a".repeat(TextMasker.MAX_HOLD + 10));

        assertThat(masker.mask(noSpaces)).hasSize(noSpaces.length);
        assertThat(masker.held()).isZero();
    }
}
