package org.lprgateway.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The gateway as a separate operating-system process, started the way an operator starts it:
 * {@code java -jar target/lpr-gateway.jar --role=... --key=value} from the project folder.
 * Used where a test needs to kill it hard or run edge and server apart.
 */
public final class GatewayProcess implements AutoCloseable {

    private final String name;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean testCredentials = true;
    private final Path logFile;
    private Process process;
    private Path workDir;
    /** A command the JVM runs under, such as {@code ip netns exec NAME}; empty: none. */
    private List<String> launcher = List.of();
    /** The address the test reaches the process's HTTP port on. */
    private String httpHost = "127.0.0.1";
    /** Where this run's output starts in the log file (a restarted process appends). */
    private long logOffset;

    /**
     * The key every gateway process of the tests signs and checks downlink MQTT messages with
     * (security.signing.key, given in the environment), so that edge and server of a test trust
     * each other; {@link Signing} signs a test's own messages with it.
     */
    public static final String SIGNING_KEY = "test-signing-key-0123456789abcdef0123456789";

    public GatewayProcess(String name, String role) {
        this.name = name;
        settings.put("role", role);
        if (!"all".equals(role)) {
            // never the machine's default broker (another gateway's, a demo's): a test that wants one sets it
            settings.put("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free());
        }
        env.put("SECURITY_SIGNING_KEY", SIGNING_KEY);
        this.logFile = Path.of("target", "it-logs", name + "-" + System.nanoTime() + ".log");
    }

    public GatewayProcess set(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    /**
     * Keeps every file the gateway writes besides its databases under {@code dir}: camera images,
     * server images, previews and upload folder, SSH keys and known hosts, rsync staging, and the
     * embedded SFTP server's files (on a free port).
     */
    public GatewayProcess filesUnder(Path dir) {
        set("images.dir", dir.resolve("images"));
        set("images.stagingDir", dir.resolve("image-staging"));
        set("server.imageDir", dir.resolve("server-images"));
        set("server.previewDir", dir.resolve("server-previews"));
        set("server.imageInbox", dir.resolve("server-upload/incoming"));
        set("sftp.privateKeyFile", dir.resolve("keys/edge-key"));
        set("sftp.knownHostsFile", dir.resolve("keys/known_hosts"));
        set("sftp.embedded.root", dir.resolve("server-upload"));
        set("sftp.embedded.hostKeyFile", dir.resolve("sftp/host-key"));
        set("sftp.embedded.authorizedKeysFile", dir.resolve("sftp/authorized_keys"));
        set("sftp.embedded.port", Ports.free());
        return this;
    }

    /** An edge sending its images to this sshd: SFTP and rsync over ssh with the test's key and known hosts. */
    public GatewayProcess imagesTo(Sshd sshd) {
        return set("sftp.host", "127.0.0.1")
                .set("sftp.port", sshd.port())
                .set("sftp.username", Sshd.user())
                .set("sftp.remoteDir", "incoming")
                .set("rsync.target", Sshd.user() + "@127.0.0.1:" + sshd.uploadDir() + "/")
                .set("sftp.privateKeyFile", sshd.clientKey())
                .set("sftp.knownHostsFile", sshd.knownHosts())
                .set("sftp.generateKey", false);
    }

    /** Runs the process in this folder (default: the project folder), as an operator starting it from there. */
    public GatewayProcess workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /**
     * Runs the process inside a network namespace, its HTTP port on the namespace's address
     * (where the test reaches it while the link is up).
     */
    public GatewayProcess inside(NetNs ns) {
        this.launcher = ns.exec();
        this.httpHost = ns.address();
        return set("gateway.http.host", ns.address());
    }

    /** Runs with the shipped security settings: no test credentials (role all then writes its own). */
    public GatewayProcess shippedSecurity() {
        testCredentials = false;
        return this;
    }

    public GatewayProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public GatewayProcess start() throws IOException {
        Files.createDirectories(logFile.getParent());
        // on a camera the camera application has created its database before the gateway starts
        String cameraDb = settings.get("edge.db.path");
        if ("edge".equals(settings.get("role")) && cameraDb != null && !Files.exists(Path.of(cameraDb))) {
            Db.createCameraTables(Path.of(cameraDb), "flat");
        }
        logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC",
                // native libraries the process unpacks go where the test's own temporary files go
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        String jar = System.getProperty("gateway.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            cmd.addAll(List.of("-jar", jar));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.lprgateway.app.Application"));
        }
        // every process accepts the test credentials and an edge sends the fleet camera key,
        // unless the test runs the shipped security settings
        if (testCredentials) {
            settings.putIfAbsent("security.apiKeysFile", TestCredentials.apiKeysFile().toString());
            settings.putIfAbsent("security.jwt.secretsFile", TestCredentials.jwtSecretsFile().toString());
            env.putIfAbsent("SECURITY_CLIENT_APIKEY", TestCredentials.FLEET);
        }
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toAbsolutePath().toFile()));
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("GATEWAY_LOG_DIR", logFile.toAbsolutePath().getParent().resolve(name + "-files").toString());
        pb.environment().putAll(env);
        process = pb.start();
        return this;
    }

    /** Waits until the HTTP port answers (any status) and the route controller has started (or scheduled) every route. */
    public GatewayProcess awaitHttp(int port, String path) {
        await(name + " answering on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + logFile);
                    }
                    return httpStatus(httpHost, port, path) > 0;
                });
        // routes start one by one after the HTTP server: wait for the route controller's summary
        await(name + " routes started").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(logFile) && thisRunsLog().contains("Routes startup ("));
        return this;
    }

    /**
     * Waits until {@code /ready} answers 200: every route started and the role's MQTT connection up. A server
     * that has started its routes may still be connecting the connection its acknowledgements go out on.
     */
    public GatewayProcess awaitReady(int port) {
        await(name + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + logFile);
                    }
                    return httpStatus(httpHost, port, "/ready") == 200;
                });
        return this;
    }

    /** Waits until the route controller has started (or scheduled) every route: for a process whose ports speak TLS only. */
    public GatewayProcess awaitRoutes() {
        await(name + " routes started").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + logFile);
                    }
                    return Files.exists(logFile) && thisRunsLog().contains("Routes startup (");
                });
        return this;
    }

    private String thisRunsLog() throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        return new String(all, (int) Math.min(logOffset, all.length), all.length - (int) Math.min(logOffset, all.length),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public static int httpStatus(int port, String path) {
        return httpStatus("127.0.0.1", port, path);
    }

    public static int httpStatus(String host, int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + path).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook, no chance to finish anything. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGSTOP: the process freezes with its sockets open, as a hung or cut-off camera looks to the broker. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM: graceful shutdown. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
