package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;

class TokenFileCredentialTest {
    @TempDir
    Path dir;

    @Test
    void picksUpARotatedTokenAndKeepsTheLastGoodOneWhenTheFileBreaks() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token\n");
        Vertx vertx = Vertx.vertx();
        TokenFileCredential credential = new TokenFileCredential(vertx, file);
        try {
            assertThat(credential.bearerToken()).isEqualTo("first-token");

            Files.writeString(file, "second-token\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            credential.refreshIfChanged();
            assertThat(credential.bearerToken()).isEqualTo("second-token");

            Files.writeString(file, "   \n");   // a half-written rotation: empty
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            credential.refreshIfChanged();
            assertThat(credential.bearerToken()).isEqualTo("second-token");
        } finally {
            credential.close();
            vertx.close().await();
        }
    }
}
