package org.lprgateway.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with openssl in a folder of the test's: EC P-256 keys
 * (PKCS#8 PEM), certificates valid for a day. Issued certificates carry both server and client use,
 * so one identity can serve HTTPS and present itself to a server that requires client certificates.
 */
public final class TestCa {

    /** A certificate (PEM) and its key (PEM, PKCS#8). */
    public record Identity(Path cert, Path key) {
    }

    private final Path dir;
    private final String name;
    private final Identity self;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.self = new Identity(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    public static TestCa create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCa ca = new TestCa(dir, name);
        ca.key(ca.self.key());
        openssl(Map.of(), "req", "-x509", "-new", "-key", ca.self.key().toString(), "-days", "1", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", ca.self.cert().toString());
        return ca;
    }

    /** The CA certificate (PEM): what a peer trusts. */
    public Path cert() {
        return self.cert();
    }

    /** A certificate for {@code cn} with subject alternative names such as {@code IP:127.0.0.1,DNS:localhost}. */
    public Identity issue(String cn, String subjectAltNames) throws IOException, InterruptedException {
        Identity id = new Identity(dir.resolve(cn + ".crt"), dir.resolve(cn + ".key"));
        key(id.key());
        Path csr = dir.resolve(cn + ".csr");
        openssl(Map.of(), "req", "-new", "-key", id.key().toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
        Path ext = dir.resolve(cn + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n"
                + "keyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl(Map.of(), "x509", "-req", "-in", csr.toString(), "-CA", self.cert().toString(), "-CAkey", self.key().toString(),
                "-CAcreateserial", "-days", "1", "-extfile", ext.toString(), "-out", id.cert().toString());
        return id;
    }

    /** The identity as a PKCS12 key store; the password reaches openssl through the environment, not its arguments. */
    public Path pkcs12(Identity id, String password) throws IOException, InterruptedException {
        Path p12 = dir.resolve(id.cert().getFileName() + ".p12");
        openssl(Map.of("P12_PASSWORD", password), "pkcs12", "-export", "-in", id.cert().toString(), "-inkey", id.key().toString(),
                "-name", "gateway", "-passout", "env:P12_PASSWORD", "-out", p12.toString());
        return p12;
    }

    private void key(Path file) throws IOException, InterruptedException {
        openssl(Map.of(), "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file.toString());
    }

    /** A server certificate for {@code subjectAltNames} (e.g. {@code DNS:localhost}); [0] cert, [1] key. */
    public Path[] server(String file, String subjectAltNames) throws IOException, InterruptedException {
        Identity id = issue(file, subjectAltNames);
        return new Path[] {id.cert(), id.key()};
    }

    /** A client certificate with {@code commonName} as its subject CN; [0] cert, [1] key. */
    public Path[] client(String commonName) throws IOException, InterruptedException {
        Identity id = issue(commonName, "DNS:" + commonName.replaceAll("[^A-Za-z0-9.-]", "-"));
        return new Path[] {id.cert(), id.key()};
    }

    public String name() {
        return name;
    }

    static void openssl(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
