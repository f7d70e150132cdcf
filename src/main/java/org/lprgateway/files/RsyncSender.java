package org.lprgateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rsync side of the file routes: many images per rsync process. rsync cannot rename files on
 * the way, so each call stages symbolic links named as on the server
 * ({@code <camera_id>/<yyyy-mm-dd>/<message_id>.jpg}) in a fresh folder and copies what they point
 * to ({@code --copy-links}) with {@code --files-from}. rsync writes each file under a temporary
 * dot-name and renames it when complete, so a partial upload never has the final name.
 *
 * <p>The target is {@code user@host:dir/} (over ssh with the SFTP key and known-hosts file,
 * host keys checked) or a local folder. The route runs the process (camel-exec); this bean builds
 * its arguments and judges its exit.
 */
public class RsyncSender {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.files");
    private static final long AVAILABILITY_TTL_MILLIS = 30_000;

    private String command = "rsync";
    private String target = "";
    private int sshPort = 22;
    private String privateKeyFile;
    private String knownHostsFile;
    private Path stagingDir = Path.of("data/image-staging");
    private int ioTimeoutSeconds = 60;
    private ImageFiles imageFiles;

    /** Last check per command, per JVM: the warning comes once even if the bean is built twice. */
    private record Check(boolean runs, long at) { }
    private static final java.util.Map<String, Check> CHECKS = new java.util.HashMap<>();

    public void setCommand(String command) {
        this.command = command;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public void setSshPort(int sshPort) {
        this.sshPort = sshPort;
    }

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    public void setStagingDir(String stagingDir) {
        this.stagingDir = Path.of(stagingDir);
    }

    public void setIoTimeoutSeconds(int ioTimeoutSeconds) {
        this.ioTimeoutSeconds = ioTimeoutSeconds;
    }

    public void setImageFiles(ImageFiles imageFiles) {
        this.imageFiles = imageFiles;
    }

    /** Removes staging folders a stopped process left behind. */
    public void init() throws IOException {
        if (Files.isDirectory(stagingDir)) {
            try (Stream<Path> walk = Files.walk(stagingDir)) {
                walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(stagingDir)).forEach(RsyncSender::deleteQuietly);
            }
        }
        available();
    }

    /**
     * Whether the rsync command runs here (checked at most every 30 s). Logs one warning when it
     * goes missing, and one line when it is back: meanwhile SFTP carries every image.
     */
    public boolean available() {
        synchronized (RsyncSender.class) {
            return checkAvailable();
        }
    }

    private boolean checkAvailable() {
        long now = System.currentTimeMillis();
        Check last = CHECKS.get(command);
        Boolean known = last == null ? null : last.runs();
        if (last != null && now - last.at() < AVAILABILITY_TTL_MILLIS) {
            return known;
        }
        boolean runs;
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            runs = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            runs = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs = known != null && known;
        }
        if (!runs && (known == null || known)) {
            LOG.warn("rsync command '{}' not found or not runnable: images go by SFTP only until it is installed", command);
        } else if (runs && known != null && !known) {
            LOG.info("rsync command '{}' runs again: images use the rsync route again", command);
        }
        CHECKS.put(command, new Check(runs, now));
        return runs;
    }

    /**
     * Stages the remaining images of a batch and returns the rsync arguments; images that can no
     * longer be sent (removed, replaced by a link out of the folder) are parked in the batch.
     *
     * @return the arguments, or null when nothing is left to send
     */
    public List<String> prepare(ImageBatch batch) throws IOException {
        Path stage = Files.createDirectories(stagingDir).resolve(UUID.randomUUID().toString());
        Files.createDirectories(stage);
        batch.setStage(stage);
        List<String> names = new ArrayList<>();
        for (Map<String, Object> row : batch.remaining()) {
            Path source;
            try {
                source = imageFiles.open(row.get("image_path")).toPath();
            } catch (ImageRefusedException e) {
                batch.park(row.get("id"), e.getMessage());
                continue;
            }
            String name = String.valueOf(row.get("image_file"));
            Path link = stage.resolve(name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, source);
            names.add(name);
        }
        if (names.isEmpty()) {
            return null;
        }
        Path list = stage.resolve(".files");
        Files.write(list, names, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>();
        args.add("--recursive");
        args.add("--copy-links");
        args.add("--files-from=" + list);
        args.add("--timeout=" + ioTimeoutSeconds);
        if (target.contains(":")) {
            args.add("--rsh=" + ssh());
        }
        args.add(stage + "/");
        args.add(target.endsWith("/") ? target : target + "/");
        return args;
    }

    /** The ssh command rsync runs: the SFTP key, host keys checked against the known-hosts file, never a prompt. */
    String ssh() {
        StringBuilder s = new StringBuilder("ssh -p ").append(sshPort)
                .append(" -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -o ServerAliveInterval=5");
        if (privateKeyFile != null && !privateKeyFile.isBlank()) {
            s.append(" -o IdentitiesOnly=yes -i ").append(Path.of(privateKeyFile).toAbsolutePath());
        }
        if (knownHostsFile != null && !knownHostsFile.isBlank()) {
            s.append(" -o UserKnownHostsFile=").append(Path.of(knownHostsFile).toAbsolutePath());
        }
        return s.toString();
    }

    /**
     * Judges a finished rsync process.
     *
     * @throws IOException with rsync's exit code and its error output when it failed
     */
    public void check(ExecResult result) throws IOException {
        if (result.getExitValue() == 0) {
            return;
        }
        String err = "";
        InputStream stderr = result.getStderr();
        if (stderr != null) {
            err = new String(stderr.readNBytes(2000), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        }
        throw new IOException("rsync exit " + result.getExitValue() + ": " + err);
    }

    /** Deletes the staging folder of a batch. */
    public void cleanup(ImageBatch batch) throws IOException {
        Path stage = batch.getStage();
        if (stage == null || !Files.exists(stage)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(stage)) {
            walk.sorted(Comparator.reverseOrder()).forEach(RsyncSender::deleteQuietly);
        }
        batch.setStage(null);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", p, e.toString());
        }
    }
}
