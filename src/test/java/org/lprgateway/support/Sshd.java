package org.lprgateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real OpenSSH sshd on a loopback port, set up from scratch in a folder: its own host key, a
 * client key authorised for the current user, a known-hosts file naming the host key, and the
 * SFTP subsystem. Needs the Debian package openssh-server (installed by scripts/test.sh); fails,
 * never skips, when it is missing.
 */
public final class Sshd implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port = Ports.free();
    private Process process;

    public Sshd(Path dir) {
        this.dir = dir;
    }

    public Sshd start() throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " missing: install openssh-server (scripts/test.sh does)");
        }
        if (process == null) {
            setUp();
        }
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .start();
        await("sshd listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    private void setUp() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("client_key"));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        String[] hostPub = Files.readString(dir.resolve("host_key.pub")).strip().split("\\s+");
        Files.writeString(knownHosts(), "[127.0.0.1]:" + port + " " + hostPub[0] + " " + hostPub[1] + "\n");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "AllowUsers " + user(),
                // SFTP sessions start in the upload folder's parent: the edge's sftp.remoteDir is "incoming"
                "Subsystem sftp internal-sftp -d " + uploadDir().getParent(),
                "LogLevel INFO",
                "") );
        Files.createDirectories(uploadDir());
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
    }

    /** Stops sshd and every session process it started: a server that went away. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly().waitFor();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    public int port() {
        return port;
    }

    public static String user() {
        return System.getProperty("user.name");
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** Where uploads go: "incoming" in the SFTP start folder, the server's server.imageInbox, the rsync target. */
    public Path uploadDir() {
        return dir.resolve("upload/incoming").toAbsolutePath();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
