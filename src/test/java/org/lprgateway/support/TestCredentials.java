package org.lprgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The credentials every test process accepts: an operator key, a viewer key, a fleet camera key
 * (role cameras) and a JWT secret, written once under target/it-secrets. GatewayProcess points
 * each process at these files and gives an edge the fleet key; Http and WsClient send the
 * operator key unless a test says otherwise.
 */
public final class TestCredentials {

    public static final String OPERATOR = "operator-test-key-0123456789abcdef";
    public static final String VIEWER = "viewer-test-key-0123456789abcdef";
    public static final String FLEET = "fleet-test-key-0123456789abcdef";
    public static final String JWT_SECRET = "jwt-test-secret-0123456789abcdef0123456789";

    private static final Path DIR = Path.of("target", "it-secrets").toAbsolutePath();

    private TestCredentials() {
    }

    public static Path apiKeysFile() {
        return write(DIR.resolve("api-keys.properties"), "operator = operator:" + OPERATOR + "\n"
                + "viewer = viewer:" + VIEWER + "\n" + "fleet = cameras:" + FLEET + "\n");
    }

    public static Path jwtSecretsFile() {
        return write(DIR.resolve("jwt-secrets"), JWT_SECRET + "\n");
    }

    private static synchronized Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
