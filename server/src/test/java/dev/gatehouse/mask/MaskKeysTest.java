package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskKeysTest {
    static final byte[] VALUE = "hunter2".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @Test
    void generatesAnOwnerOnlyKeyOnFirstStartNamedByItsDigest() throws Exception {
        MaskKeys keys = MaskKeys.open(dataDir);

        Path file = dataDir.resolve("mask/keys/" + keys.current().id() + ".key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(MaskKey.LENGTH);
        assertThat(keys.current().id()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 8));
        assertThat(MaskKeys.open(dataDir).current()).isEqualTo(keys.current());
    }

    @Test
    void rotatesToANewKeyAndKeepsTheOldOnesForChecks() {
        MaskKeys keys = MaskKeys.open(dataDir);
        MaskKey old = keys.current();
        String oldMarker = Fingerprints.of(old, VALUE);

        String id = keys.rotate();

        assertThat(id).isNotEqualTo(old.id()).isEqualTo(keys.current().id());
        assertThat(Fingerprints.of(keys.current(), VALUE)).isNotEqualTo(oldMarker);
        MaskKeys reopened = MaskKeys.open(dataDir);
        assertThat(reopened.current().id()).isEqualTo(id);
        assertThat(reopened.all()).containsKeys(old.id(), id);
        assertThat(Fingerprints.check(oldMarker, VALUE, reopened)).isEqualTo(new Fingerprints.Check.Match(old.id()));
    }

    @Test
    void checksASuspectedValueAgainstPlainAndBase64Markers() {
        MaskKeys keys = MaskKeys.open(dataDir);
        String plain = Fingerprints.of(keys.current(), VALUE);
        String data = Fingerprints.with(keys.current()).dataMarker(VALUE);

        assertThat(Fingerprints.check(plain, VALUE, keys)).isInstanceOf(Fingerprints.Check.Match.class);
        assertThat(Fingerprints.check(data, VALUE, keys)).isInstanceOf(Fingerprints.Check.Match.class);
        assertThat(Fingerprints.check(plain, "hunter3".getBytes(StandardCharsets.UTF_8), keys))
                .isInstanceOf(Fingerprints.Check.NoMatch.class);
    }

    @Test
    void refusesForgedAndMalformedMarkers() {
        MaskKeys keys = MaskKeys.open(dataDir);
        String plain = Fingerprints.of(keys.current(), VALUE);
        String otherKey = Fingerprints.of(MaskKey.of(new byte[32]), VALUE);

        assertThat(Fingerprints.check(otherKey, VALUE, keys)).isInstanceOf(Fingerprints.Check.UnknownKey.class);
        assertThat(Fingerprints.check("hunter2", VALUE, keys)).isInstanceOf(Fingerprints.Check.NotAMarker.class);
        assertThat(Fingerprints.check(plain.substring(0, plain.length() - 1), VALUE, keys))
                .isInstanceOf(Fingerprints.Check.NotAMarker.class);
        assertThat(Fingerprints.check(plain + "A", VALUE, keys)).isInstanceOf(Fingerprints.Check.NotAMarker.class);
        String flipped = plain.substring(0, plain.length() - 1) + (plain.endsWith("A") ? "B" : "A");
        assertThat(Fingerprints.check(flipped, VALUE, keys)).isInstanceOf(Fingerprints.Check.NoMatch.class);
        String b64OfJunk = Base64.getEncoder().encodeToString("gatehouse:masked:nonsense".getBytes());
        assertThat(Fingerprints.check(b64OfJunk, VALUE, keys)).isInstanceOf(Fingerprints.Check.NotAMarker.class);
    }

    @Test
    void refusesAKeyFileWhoseContentDoesNotMatchItsName() throws Exception {
        MaskKeys keys = MaskKeys.open(dataDir);
        Files.write(dataDir.resolve("mask/keys/" + keys.current().id() + ".key"), new byte[32]);

        assertThatThrownBy(() -> MaskKeys.open(dataDir)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("expected: " + keys.current().id());
    }

    @Test
    void refusesACurrentKeyItDoesNotHold() throws Exception {
        MaskKeys.open(dataDir);
        Files.writeString(dataDir.resolve("mask/keys/current"), "deadbeef\n");

        assertThatThrownBy(() -> MaskKeys.open(dataDir)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("deadbeef");
    }

    @Test
    void neverShowsAKeyInItsText() {
        MaskKey key = MaskKey.of(new byte[32]);
        assertThat(key.toString()).isEqualTo("MaskKey[" + key.id() + "]");
    }
}
