package org.lprgateway.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.Jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs the real rsync (scripts/test.sh installs it) into a local folder with the arguments the bean builds. */
class RsyncSenderTest {

    @TempDir
    Path dir;

    private final RsyncSender rsync = new RsyncSender();
    private final ImageFiles files = new ImageFiles();

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        files.setRoot(dir.resolve("images").toString());
        rsync.setImageFiles(files);
        rsync.setStagingDir(dir.resolve("staging").toString());
        rsync.setTarget(dir.resolve("target").toString());
    }

    private Map<String, Object> row(long id, String imagePath, String imageFile) {
        Map<String, Object> r = new HashMap<>();
        r.put("id", id);
        r.put("image_path", imagePath);
        r.put("image_file", imageFile);
        return r;
    }

    private int run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rsync"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return p.exitValue();
    }

    @Test
    void one_call_copies_every_file_of_the_batch_under_its_server_name_and_refused_ones_are_parked() throws Exception {
        assertThat(rsync.available()).isTrue();
        ImageBatch batch = new ImageBatch("rsync,sftp");
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path jpeg = Jpeg.write(dir.resolve("images/cam/p" + i + ".jpg"), 30 + i, 20 + i);
            contents.add(Files.readAllBytes(jpeg));
            batch.add(row(i, "cam/p" + i + ".jpg", "CAM001/2026-01-02/id-" + i + ".jpg"));
        }
        batch.add(row(99, "../elsewhere.jpg", "CAM001/2026-01-02/id-99.jpg"));

        List<String> args = rsync.prepare(batch);
        assertThat(args).contains("--copy-links").noneMatch(a -> a.startsWith("--rsh"));
        assertThat(batch.getParked()).containsOnlyKeys(99L);
        run(args);
        for (int i = 0; i < 20; i++) {
            assertThat(dir.resolve("target/CAM001/2026-01-02/id-" + i + ".jpg")).hasBinaryContent(contents.get(i));
        }
        // no temporary names left behind, and the staging folder goes away
        try (var all = Files.walk(dir.resolve("target"))) {
            assertThat(all.filter(Files::isRegularFile).count()).isEqualTo(20);
        }
        rsync.cleanup(batch);
        try (var left = Files.list(dir.resolve("staging"))) {
            assertThat(left.count()).isZero();
        }
        // again: harmless, same files
        run(rsync.prepare(batch));
        assertThat(dir.resolve("target/CAM001/2026-01-02/id-0.jpg")).hasBinaryContent(contents.get(0));
    }

    @Test
    void a_remote_target_goes_over_ssh_with_the_key_and_host_keys_checked() throws Exception {
        rsync.setTarget("lpr@server.example:incoming");
        rsync.setSshPort(2200);
        rsync.setPrivateKeyFile("/keys/edge-key");
        rsync.setKnownHostsFile("/keys/known_hosts");
        ImageBatch batch = new ImageBatch("rsync");
        Jpeg.write(dir.resolve("images/a.jpg"), 30, 20);
        batch.add(row(1, "a.jpg", "CAM001/2026-01-02/id-1.jpg"));
        List<String> args = rsync.prepare(batch);
        assertThat(args).contains("--rsh=ssh -p 2200 -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10"
                + " -o ServerAliveInterval=5 -o IdentitiesOnly=yes -i /keys/edge-key -o UserKnownHostsFile=/keys/known_hosts");
        assertThat(args.get(args.size() - 1)).isEqualTo("lpr@server.example:incoming/");
    }

    @Test
    void nothing_to_send_gives_no_call_and_a_failed_call_names_exit_code_and_error() throws Exception {
        ImageBatch batch = new ImageBatch("rsync");
        batch.add(row(1, "missing.jpg", "CAM001/2026-01-02/id-1.jpg"));
        assertThat(rsync.prepare(batch)).isNull();
        assertThat(batch.getParked().get(1L)).startsWith("image file missing");

        ExecCommand command = new ExecCommand("rsync", List.of(), null, 0L, java.util.Set.of(), null, null, false, org.apache.camel.LoggingLevel.DEBUG);
        ExecResult failed = new ExecResult(command, null, new ByteArrayInputStream("ssh: connect to host x port 22: Connection refused\n".getBytes()), 255);
        assertThatThrownBy(() -> rsync.check(failed)).isInstanceOf(IOException.class)
                .hasMessage("rsync exit 255: ssh: connect to host x port 22: Connection refused");
        rsync.check(new ExecResult(command, null, null, 0));
    }

    @Test
    void a_command_that_does_not_run_is_reported_unavailable() {
        RsyncSender missing = new RsyncSender();
        missing.setCommand(dir.resolve("no-rsync-here").toString());
        assertThat(missing.available()).isFalse();
    }
}
