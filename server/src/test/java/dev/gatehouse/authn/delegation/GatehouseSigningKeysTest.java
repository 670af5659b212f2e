package dev.gatehouse.authn.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatehouseSigningKeysTest {
    @TempDir
    Path dataDir;

    @Test
    void generatesAKeyOnFirstStartAndKeepsItPrivate() throws Exception {
        GatehouseSigningKeys keys = GatehouseSigningKeys.load(dataDir);
        Path file = dataDir.resolve("issuer/signing-keys.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(GatehouseSigningKeys.load(dataDir).active().getKeyID()).isEqualTo(keys.active().getKeyID());
    }

    @Test
    void rotationPersistsAndKeepsTheOldKeyForVerification() {
        GatehouseSigningKeys keys = GatehouseSigningKeys.load(dataDir);
        String old = keys.active().getKeyID();
        keys.rotate();
        GatehouseSigningKeys reloaded = GatehouseSigningKeys.load(dataDir);
        assertThat(reloaded.active().getKeyID()).isNotEqualTo(old);
        assertThat(reloaded.publicKeys().getKeyByKeyId(old)).isNotNull();
        assertThat(reloaded.publicKeys().getKeys()).allMatch(k -> !k.isPrivate());
    }

    @Test
    void publishesNoPrivateMaterial() {
        GatehouseIssuer issuer = new GatehouseIssuer("https://gatehouse.example.com", GatehouseSigningKeys.inMemory());
        assertThat(issuer.jwksJson()).doesNotContain("\"d\"");
        assertThat(issuer.metadataJson()).contains("\"issuer\":\"https://gatehouse.example.com\"")
                .contains("\"jwks_uri\":\"https://gatehouse.example.com/openid/v1/jwks\"");
    }

    @Test
    void refusesAnIssuerUrlThatIsNotHttps() {
        assertThatThrownBy(() -> new GatehouseIssuer("http://gatehouse", GatehouseSigningKeys.inMemory()))
                .hasMessageStartingWith("issuer.url: http://gatehouse");
    }
}
