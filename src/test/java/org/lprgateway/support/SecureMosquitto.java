package org.lprgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Mosquitto run with the configuration shipped in {@code deploy/mosquitto/secure}: its
 * mosquitto.conf, ACL and plaintext listener file, with the paths moved to a temporary folder and
 * the ports to free ones. The test supplies what an operator would create: the password file
 * (hashed with mosquitto_passwd, the plain passwords never on a command line) and the
 * certificates of a throwaway CA, whose server certificate names {@code localhost}.
 */
public final class SecureMosquitto implements AutoCloseable {

    public static final String SERVER_USER = "lpr-server";
    private static final Path SHIPPED = Path.of("deploy", "mosquitto", "secure");

    private final Path dir = Files.createTempDirectory("secure-mosquitto");
    private final Map<String, String> users = new LinkedHashMap<>();
    private final int plainPort = Ports.free();
    private final int tlsPort = Ports.free();
    private boolean plaintext = true;
    private boolean requireCertificate;
    private TestCa ca;
    private Mosquitto broker;

    public SecureMosquitto() throws IOException {
    }

    /** A login in the password file. */
    public SecureMosquitto user(String name, String password) {
        users.put(name, password);
        return this;
    }

    /** false: the plaintext listener file is left out, as an operator deleting it. */
    public SecureMosquitto plaintext(boolean on) {
        this.plaintext = on;
        return this;
    }

    /** true: require_certificate (mutual TLS) on the TLS listener. */
    public SecureMosquitto requireCertificate(boolean on) {
        this.requireCertificate = on;
        return this;
    }

    public SecureMosquitto start() throws IOException, InterruptedException {
        ca = TestCa.create(dir.resolve("ca"), "test-ca");
        Path[] server = ca.server("server", "DNS:localhost");
        Files.copy(ca.cert(), dir.resolve("ca.crt"));
        Files.copy(server[0], dir.resolve("server.crt"));
        Files.copy(server[1], dir.resolve("server.key"));
        Files.copy(SHIPPED.resolve("acl"), dir.resolve("acl"));
        Path listeners = Files.createDirectories(dir.resolve("listeners.d"));
        if (plaintext) {
            Files.writeString(listeners.resolve("plaintext.conf"), Files.readString(SHIPPED.resolve("listeners.d/plaintext.conf"))
                    .replace("listener 1883 ", "listener " + plainPort + " "));
        }
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, users.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        Process hash = new ProcessBuilder("mosquitto_passwd", "-U", passwd.toString()).redirectErrorStream(true).start();
        String out = new String(hash.getInputStream().readAllBytes());
        if (!hash.waitFor(30, TimeUnit.SECONDS) || hash.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + out);
        }
        String config = Files.readString(SHIPPED.resolve("mosquitto.conf"))
                .replace("/etc/mosquitto/lpr/", dir + "/")
                .replace("listener 8883", "listener " + tlsPort)
                .replace("require_certificate false", "require_certificate " + requireCertificate)
                .lines().filter(l -> !l.startsWith("persistence")).collect(Collectors.joining("\n", "", "\n"));
        broker = new Mosquitto(tlsPort, dir, config).start();
        return this;
    }

    public TestCa ca() {
        return ca;
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public Path dir() {
        return dir;
    }

    /** The plaintext listener on loopback (refuses connections when turned off). */
    public String plainUrl() {
        return "tcp://127.0.0.1:" + plainPort;
    }

    /** The TLS listener by the name its certificate carries. */
    public String tlsUrl() {
        return "ssl://localhost:" + tlsPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int plainPort() {
        return plainPort;
    }

    public String log() throws IOException {
        return broker.log();
    }

    @Override
    public void close() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }
}
