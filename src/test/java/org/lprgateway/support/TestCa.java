package org.lprgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with openssl for one test: EC P-256 keys (PKCS#8 PEM),
 * certificates valid for two days. {@link #server(String, String)} issues a broker certificate
 * for the given subject alternative names, {@link #client(String)} a client certificate.
 */
public final class TestCa {

    private final Path dir;
    private final String name;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new CA named {@code name}, its files in {@code dir}. */
    public static TestCa create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCa ca = new TestCa(dir, name);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name);
        return ca;
    }

    public Path cert() {
        return dir.resolve(name + ".crt");
    }

    /** A server certificate for {@code subjectAltNames} (e.g. {@code DNS:localhost}); [0] cert, [1] key. */
    public Path[] server(String file, String subjectAltNames) throws IOException, InterruptedException {
        return issue(file, "/CN=" + file, "subjectAltName=" + subjectAltNames + "\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate with {@code commonName} as its subject CN; [0] cert, [1] key. */
    public Path[] client(String commonName) throws IOException, InterruptedException {
        return issue("client-" + commonName, "/CN=" + commonName, "extendedKeyUsage=clientAuth\n");
    }

    private Path[] issue(String file, String subject, String extensions) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(file + ".ext"), extensions);
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file + ".key", "-out", file + ".csr", "-subj", subject);
        openssl(dir, "x509", "-req", "-in", file + ".csr", "-CA", name + ".crt", "-CAkey", name + ".key",
                "-CAcreateserial", "-out", file + ".crt", "-days", "2", "-extfile", file + ".ext");
        return new Path[] {dir.resolve(file + ".crt"), dir.resolve(file + ".key")};
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
