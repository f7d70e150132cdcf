package org.lprgateway.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {

    private final Vertx vertx = Vertx.vertx();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void keys_name_their_role_and_short_or_roleless_lines_are_ignored() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys"), "ops = operator:0123456789abcdefXYZ\nshort = viewer:abc\n"
                + "norole = 0123456789abcdefXYZ\nCAM9 = camera:cam9-0123456789abcdef\nboss = root:0123456789abcdefROOT\n");
        Credentials c = new Credentials(vertx, keys, dir.resolve("none"), "lpr-gateway");
        assertThat(c.apiKey("0123456789abcdefXYZ")).contains(new Principal("operator", "ops"));
        assertThat(c.apiKey("cam9-0123456789abcdef")).contains(new Principal("camera", "CAM9"));
        assertThat(c.apiKey("abc")).isEmpty();
        assertThat(c.apiKey("0123456789abcdefROOT")).isEmpty();
        assertThat(c.apiKey("")).isEmpty();
        assertThat(c.basic("ops", "0123456789abcdefXYZ")).isPresent();
        assertThat(c.basic("CAM9", "0123456789abcdefXYZ")).isEmpty();
    }

    @Test
    void a_changed_file_is_read_again() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys"), "a = viewer:first-key-0123456789\n");
        Credentials c = new Credentials(vertx, keys, null, "lpr-gateway");
        assertThat(c.apiKey("first-key-0123456789")).isPresent();
        Files.writeString(keys, "a = viewer:second-key-0123456789\n");
        Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100);
        assertThat(c.apiKey("second-key-0123456789")).isPresent();
        assertThat(c.apiKey("first-key-0123456789")).isEmpty();
    }

    @Test
    void tokens_it_issues_verify_and_every_secret_in_the_file_verifies() throws Exception {
        Path secrets = Files.writeString(dir.resolve("jwt"), "new-secret-0123456789abcdef0123456789\nold-secret-0123456789abcdef0123456789\n");
        Credentials c = new Credentials(vertx, null, secrets, "lpr-gateway");
        String token = c.issue("camera", "CAM7", 60);
        assertThat(await(c.token(token))).isEqualTo(new Principal("camera", "CAM7"));

        Path old = Files.writeString(dir.resolve("old"), "old-secret-0123456789abcdef0123456789\n");
        Credentials signer = new Credentials(vertx, null, old, "lpr-gateway");
        assertThat(await(c.token(signer.issue("viewer", "v", 60)))).isEqualTo(new Principal("viewer", "v"));

        Credentials otherAudience = new Credentials(vertx, null, secrets, "elsewhere");
        assertThat(c.token(otherAudience.issue("viewer", "v", 60)).toCompletionStage().toCompletableFuture())
                .failsWithin(java.time.Duration.ofSeconds(5));
    }

    @Test
    void short_secrets_disable_tokens_rather_than_weaken_them() throws Exception {
        Path secrets = Files.writeString(dir.resolve("jwt"), "short\n");
        Credentials c = new Credentials(vertx, null, secrets, "lpr-gateway");
        assertThat(c.token("x.y.z").failed()).isTrue();
    }
}
