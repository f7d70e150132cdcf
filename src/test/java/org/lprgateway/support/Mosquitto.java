package org.lprgateway.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A real Mosquitto broker on a loopback port, with persistence, for one test. The README's test
 * command installs the Debian package; a missing binary fails the test rather than skipping it.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;
    private final Path dir;
    private Process process;

    public Mosquitto() throws IOException {
        this(Ports.free());
    }

    public Mosquitto(int port) throws IOException {
        this(port, Files.createTempDirectory("mosquitto"), null);
    }

    /**
     * A broker run with {@code config} (the text of a mosquitto.conf) from {@code dir}, ready once
     * {@code port} accepts connections. The user to run as, persistence in {@code dir} and the log
     * file are appended to it.
     */
    public Mosquitto(int port, Path dir, String config) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Mosquitto is not installed (" + BINARY + "): run ./scripts/test.sh");
        }
        this.port = port;
        this.dir = dir;
        String base = config != null ? config : String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_inflight_messages 100",
                "");
        Files.writeString(dir.resolve("mosquitto.conf"), base + String.join("\n", "",
                // started as root it would switch to the mosquitto user, who cannot write the temp folder
                "user " + System.getProperty("user.name"),
                "persistence true",
                "persistence_location " + dir + "/",
                "max_queued_messages 100000",
                "log_dest file " + dir.resolve("mosquitto.log"),
                ""));
    }

    public int port() {
        return port;
    }

    /** The broker's URL on one of its further addresses. */
    public String url(String address) {
        return "tcp://" + address + ":" + port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Mosquitto start() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await("mosquitto on " + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** The broker's log so far (connections and disconnections at its default log level). */
    public String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops the broker; its persisted sessions and queues survive for the next start. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** SIGKILL: the broker writes nothing more; what it saved last (autosave) is all that survives. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Deletes the saved sessions and queues: the next start is a broker that lost its disk. */
    public void forgetPersistence() throws IOException {
        Files.deleteIfExists(dir.resolve("mosquitto.db"));
        Files.deleteIfExists(dir.resolve("mosquitto.db.new"));
    }

    /**
     * A broker with the settings of a shipped configuration file ({@code deploy/mosquitto/...}): its
     * listener and persistence folder replaced by this test's port and a temporary folder. The
     * broker listens on 127.0.0.1 and on each further address given, on the same port.
     */
    public static Mosquitto shipped(Path conf, String... moreAddresses) throws IOException {
        int port = Ports.free();
        StringBuilder config = new StringBuilder("listener " + port + " 127.0.0.1\n");
        for (String address : moreAddresses) {
            config.append("listener ").append(port).append(' ').append(address).append('\n');
        }
        for (String line : Files.readAllLines(conf)) {
            String t = line.strip();
            if (t.startsWith("listener") || t.startsWith("persistence_location") || t.startsWith("persistence ")) {
                continue;
            }
            config.append(line).append('\n');
        }
        return new Mosquitto(port, Files.createTempDirectory("mosquitto"), config.toString());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
