package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo exactly as ./scripts/demo.sh runs it on a fresh clone: the shipped application.properties
 * and routes/ in an empty folder, the jar started there with no argument (default ports, default
 * paths, everything under data/).
 */
class DemoIT extends ProcessTest {

    private static Set<String> digests(Path folder) throws Exception {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jpg")).toList()) {
                out.add(Jpeg.sha256(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    void a_fresh_clones_demo_fills_the_server_image_folder_with_the_cameras_images() throws Exception {
        Path clone = Files.createTempDirectory("fresh-clone");
        Files.copy(Path.of("application.properties"), clone.resolve("application.properties"));
        copy(Path.of("routes"), clone.resolve("routes"));

        GatewayProcess demo = track(new GatewayProcess("demo", "all")).workDir(clone).shippedSecurity().start().awaitHttp(8000, "/health");

        Path cameraImages = clone.resolve("data/images");
        Path serverImages = clone.resolve("data/server-images");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> digests(serverImages).size() >= 10);
        // every original on the server is byte for byte one of the camera's files
        assertThat(digests(cameraImages)).containsAll(digests(serverImages));
        try (Stream<Path> files = Files.walk(serverImages)) {
            List<Path> stored = files.filter(Files::isRegularFile).toList();
            assertThat(stored).allMatch(f -> serverImages.relativize(f).toString()
                    .matches("CAM001/\\d{4}-\\d{2}-\\d{2}/[0-9a-f-]{36}\\.jpg"));
        }
        // and nothing the simulated camera wrote was parked for a missing file
        assertThat(Files.readString(demo.logFile())).doesNotContain("image file missing");

        // the demo wrote its own credentials, readable by its user alone, and asks for them
        Path keys = clone.resolve("data/secrets/api-keys.properties");
        assertThat(java.nio.file.Files.getPosixFilePermissions(keys)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String operator = Files.readAllLines(keys).stream().filter(l -> l.startsWith("operator = operator:"))
                .findFirst().orElseThrow().substring("operator = operator:".length());
        assertThat(Http.send(Http.anonymous("http://127.0.0.1:8000/api/cameras").build()).statusCode()).isEqualTo(401);
        assertThat(Http.send(Http.anonymous("http://127.0.0.1:8000/api/cameras").header("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(("operator:" + operator).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build()).statusCode()).isEqualTo(200);
        assertThat(Files.readString(demo.logFile())).contains("Demo credentials written to").doesNotContain(operator);
    }
}
