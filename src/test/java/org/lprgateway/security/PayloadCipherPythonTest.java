package org.lprgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Interoperability with the camera team's stack: Debian's python3 with python3-pycryptodome
 * (scripts/test.sh installs both), run as a separate process, opens what Java sealed and seals
 * what Java opens, in the layout base64(nonce ‖ tag ‖ ciphertext). Missing packages fail the test.
 */
class PayloadCipherPythonTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/resources/python/aes_gcm_lines.py");

    private static final byte[] KEY = new byte[32];

    static {
        new Random(12).nextBytes(KEY);
    }

    private static List<byte[]> plaintexts() {
        List<byte[]> out = new ArrayList<>();
        out.add("{\"message_id\":\"3f1c\",\"table\":\"lpr_detection\",\"action\":\"insert\",\"data\":{\"license_plate\":\"กข 1234\",\"confidence\":91.5}}"
                .getBytes(StandardCharsets.UTF_8));
        out.add(new byte[0]);
        byte[] big = new byte[100_000];
        new Random(7).nextBytes(big);
        out.add(big);
        for (int n = 1; n <= 33; n++) {
            byte[] b = new byte[n];
            new Random(n).nextBytes(b);
            out.add(b);
        }
        return out;
    }

    /** Runs the script in this mode over the lines; the key goes in the environment, never the command line. */
    private static List<String> python(String mode, List<String> lines) throws IOException, InterruptedException {
        assertThat(PYTHON).as("Debian's python3 (apt-get install python3 python3-pycryptodome)").isExecutable();
        Path in = Files.createTempFile("aes-in", ".txt");
        Files.write(in, lines);
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), mode)
                .redirectInput(in.toFile()).redirectErrorStream(true);
        pb.environment().put("PAYLOAD_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(KEY));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(in);
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("python3 %s failed (is python3-pycryptodome installed?):%n%s", mode, text).isZero();
        return text.lines().toList();
    }

    @Test
    void python_opens_what_java_sealed() throws Exception {
        PayloadCipher cipher = new PayloadCipher(KEY);
        List<byte[]> plain = plaintexts();
        List<String> sealed = plain.stream().map(cipher::seal).toList();

        List<String> opened = python("open", sealed);

        assertThat(opened).hasSize(plain.size());
        for (int i = 0; i < plain.size(); i++) {
            assertThat(Base64.getDecoder().decode(opened.get(i))).as("message %d", i).isEqualTo(plain.get(i));
        }
    }

    @Test
    void java_opens_what_python_sealed() throws Exception {
        List<byte[]> plain = plaintexts();
        List<String> sealed = python("seal", plain.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList());

        assertThat(sealed).hasSize(plain.size());
        PayloadCipher cipher = new PayloadCipher(KEY);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(Base64.getDecoder().decode(sealed.get(i))).hasSize(28 + plain.get(i).length);
            assertThat(cipher.open(sealed.get(i))).as("message %d", i).isEqualTo(plain.get(i));
        }
    }

    @Test
    void each_side_refuses_what_was_altered_after_the_other_sealed_it() throws Exception {
        byte[] record = plaintexts().get(0);
        byte[] fromJava = Base64.getDecoder().decode(new PayloadCipher(KEY).seal(record));
        fromJava[fromJava.length - 1] ^= 0x01;
        assertThat(python("open", List.of(Base64.getEncoder().encodeToString(fromJava))))
                .singleElement().asString().startsWith("REFUSED");

        byte[] fromPython = Base64.getDecoder().decode(
                python("seal", List.of(Base64.getEncoder().encodeToString(record))).get(0));
        fromPython[13] ^= 0x01;
        assertThatThrownBy(() -> new PayloadCipher(KEY).open(Base64.getEncoder().encodeToString(fromPython)))
                .isInstanceOf(PayloadCipher.RefusedException.class);
    }

    @Test
    void a_python_sender_that_leaves_the_nonce_to_pycryptodome_gets_16_bytes_and_is_refused_not_misread() throws Exception {
        byte[] record = plaintexts().get(0);
        String sealed = python("seal-default-nonce", List.of(Base64.getEncoder().encodeToString(record))).get(0);
        assertThat(Base64.getDecoder().decode(sealed)).hasSize(16 + 16 + record.length);
        assertThatThrownBy(() -> new PayloadCipher(KEY).open(sealed))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessageContaining("authentication failed");
    }
}
