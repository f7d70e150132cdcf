package org.lprgateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.core.net.TrustOptions;
import org.apache.camel.support.jsse.CipherSuitesParameters;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The gateway's TLS identity and policy ({@code tls.*}), shared by its listeners (HTTPS, wss) and
 * its clients (REST, WebSocket, network probe).
 *
 * <p>Identity: a PKCS12 (or JKS) key store, or a PEM certificate chain with its PKCS#8 key. The
 * same identity is the server certificate on this gateway's listeners and the client certificate it
 * presents where a server asks for one (mutual TLS). Trust: a PEM CA file or a trust store; with
 * neither, clients trust the JVM's public CAs and a listener cannot require client certificates.
 * Clients always verify the peer's chain and host name; there is no switch to turn that off.
 *
 * <p>Policy: TLS 1.2 and 1.3 only, and only suites with an ephemeral elliptic-curve key exchange
 * and an AEAD cipher (AES-GCM, ChaCha20-Poly1305). A setting outside that policy fails start-up
 * rather than being silently weakened.
 */
public class Tls {

    /** TLS 1.3 suites are all AEAD with (EC)DHE; TLS 1.2 ones must say ECDHE and GCM or ChaCha20. */
    private static final Pattern ALLOWED_SUITE = Pattern.compile(
            "TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256"
                    + "|ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256))");
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]+)-----END \\1PRIVATE KEY-----");

    private String certFile = "";
    private String keyFile = "";
    private String keyStoreFile = "";
    private String keyStoreType = "PKCS12";
    private String keyStorePassword = "";
    private String caFile = "";
    private String trustStoreFile = "";
    private String trustStoreType = "PKCS12";
    private String trustStorePassword = "";
    private String clientAuth = "none";
    private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
    private List<String> cipherSuites = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Loaded once on first use: the key store password is not kept beyond that. */
    private KeyStore identity;
    private char[] identityPassword;
    private KeyStore trust;
    private boolean loaded;

    public void setCertFile(String certFile) {
        this.certFile = trim(certFile);
    }

    public void setKeyFile(String keyFile) {
        this.keyFile = trim(keyFile);
    }

    public void setKeyStoreFile(String keyStoreFile) {
        this.keyStoreFile = trim(keyStoreFile);
    }

    public void setKeyStoreType(String keyStoreType) {
        this.keyStoreType = trim(keyStoreType);
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    }

    public void setCaFile(String caFile) {
        this.caFile = trim(caFile);
    }

    public void setTrustStoreFile(String trustStoreFile) {
        this.trustStoreFile = trim(trustStoreFile);
    }

    public void setTrustStoreType(String trustStoreType) {
        this.trustStoreType = trim(trustStoreType);
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    }

    /** {@code none} or {@code required}: whether this gateway's listeners demand a client certificate. */
    public void setClientAuth(String clientAuth) {
        String v = trim(clientAuth).toLowerCase(Locale.ROOT);
        if (!v.equals("none") && !v.equals("required")) {
            throw new IllegalArgumentException("tls.clientAuth must be none or required, not " + clientAuth);
        }
        this.clientAuth = v;
    }

    public void setProtocols(String protocols) {
        List<String> list = split(protocols);
        for (String p : list) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("tls.protocols allows TLSv1.2 and TLSv1.3 only, not " + p);
            }
        }
        this.protocols = list;
    }

    public void setCipherSuites(String cipherSuites) {
        List<String> list = split(cipherSuites);
        for (String s : list) {
            if (!ALLOWED_SUITE.matcher(s).matches()) {
                throw new IllegalArgumentException(
                        "tls.cipherSuites allows ECDHE suites with AES-GCM or ChaCha20-Poly1305 only, not " + s);
            }
        }
        this.cipherSuites = list;
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    public boolean requiresClientCertificates() {
        return "required".equals(clientAuth);
    }

    public boolean hasIdentity() {
        return !keyStoreFile.isEmpty() || !certFile.isEmpty();
    }

    /** Server side: TLS only on this listener, this gateway's certificate, the policy, client certificates if required. */
    public void applyToServer(NetServerOptions options) {
        load();
        if (identity == null) {
            throw new IllegalStateException("a TLS listener needs a certificate: set tls.keyStore.file, or tls.certFile and tls.keyFile");
        }
        options.setSsl(true);
        options.setKeyCertOptions(KeyCertOptions.wrap(keyManagers()));
        applyPolicy(options);
        if (requiresClientCertificates()) {
            if (trust == null) {
                throw new IllegalStateException("tls.clientAuth=required needs the clients' CA: set tls.caFile or tls.trustStore.file");
            }
            options.setTrustOptions(TrustOptions.wrap(trustManagers()));
            options.setClientAuth(ClientAuth.REQUIRED);
        }
    }

    /** Client side (Vert.x): the peer verified against the configured CA, or the JVM's; this gateway's certificate if it has one. */
    public void applyToClient(TCPSSLOptions options) {
        load();
        options.setTrustOptions(TrustOptions.wrap(trustManagers()));
        if (identity != null) {
            options.setKeyCertOptions(KeyCertOptions.wrap(keyManagers()));
        }
        applyPolicy(options);
    }

    private void applyPolicy(TCPSSLOptions options) {
        options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols));
        options.getEnabledCipherSuites().clear();
        cipherSuites.forEach(options::addEnabledCipherSuite);
    }

    /** Client side (JDK sockets, for HttpsURLConnection): the policy applied to every socket. */
    public SSLSocketFactory clientSocketFactory() {
        load();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity == null ? null : keyManagers().getKeyManagers(), trustManagers().getTrustManagers(), new SecureRandom());
            return new PolicySocketFactory(context.getSocketFactory(), protocols, cipherSuites);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** For a YAML bean: Camel's bean factories call static methods only. */
    public static SSLContextParameters clientParameters(Tls tls) {
        return tls.clientParameters();
    }

    /** Client side (camel-http): the same identity, trust and policy as Camel's SSL parameters. */
    public SSLContextParameters clientParameters() {
        load();
        SSLContextParameters p = new SSLContextParameters();
        if (identity != null) {
            KeyStoreParameters ks = new KeyStoreParameters();
            ks.setKeyStore(identity);
            ks.setPassword(new String(identityPassword));
            KeyManagersParameters km = new KeyManagersParameters();
            km.setKeyStore(ks);
            km.setKeyPassword(new String(identityPassword));
            p.setKeyManagers(km);
        }
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setTrustManager(trustManagers().getTrustManagers()[0]);
        p.setTrustManagers(tm);
        SecureSocketProtocolsParameters sp = new SecureSocketProtocolsParameters();
        sp.setSecureSocketProtocol(new ArrayList<>(protocols));
        p.setSecureSocketProtocols(sp);
        CipherSuitesParameters cs = new CipherSuitesParameters();
        cs.setCipherSuite(new ArrayList<>(cipherSuites));
        p.setCipherSuites(cs);
        return p;
    }

    private KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, identityPassword);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the TLS key: " + e.getMessage(), e);
        }
    }

    /** The configured CA or trust store; without one, the JVM's default trust. */
    private TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the TLS trust: " + e.getMessage(), e);
        }
    }

    private synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            if (!keyStoreFile.isEmpty()) {
                identityPassword = keyStorePassword.toCharArray();
                identity = loadStore(keyStoreFile, keyStoreType, identityPassword, "tls.keyStore.file");
            } else if (!certFile.isEmpty() || !keyFile.isEmpty()) {
                if (certFile.isEmpty() || keyFile.isEmpty()) {
                    throw new IllegalStateException("tls.certFile and tls.keyFile go together");
                }
                identityPassword = randomPassword();
                identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                List<Certificate> chain = certificates(certFile, "tls.certFile");
                identity.setKeyEntry("gateway", privateKey(keyFile), identityPassword, chain.toArray(new Certificate[0]));
            }
            if (!trustStoreFile.isEmpty()) {
                trust = loadStore(trustStoreFile, trustStoreType, trustStorePassword.toCharArray(), "tls.trustStore.file");
            } else if (!caFile.isEmpty()) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(caFile, "tls.caFile")) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
            }
            keyStorePassword = "";
            trustStorePassword = "";
            loaded = true;
        } catch (IOException | GeneralSecurityException e) {
            // the message names the file and the problem, never a password
            throw new IllegalStateException("cannot load TLS material: " + e.getMessage(), e);
        }
    }

    private static KeyStore loadStore(String file, String type, char[] password, String key)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type.isEmpty() ? "PKCS12" : type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            ks.load(in, password);
        } catch (IOException e) {
            throw new IOException(key + " " + file + ": " + e.getMessage() + " (wrong password, type or file?)", e);
        }
        return ks;
    }

    private static List<Certificate> certificates(String file, String key) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new IOException(key + " " + file + " holds no PEM certificate");
        }
        return new ArrayList<>(certs);
    }

    /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), EC or RSA; anything else is refused with the conversion to run. */
    static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find() || !m.group(1).isEmpty()) {
            throw new IOException("tls.keyFile " + file + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key>.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IOException("tls.keyFile " + file + ": not an EC, RSA or Ed25519 key", last);
    }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }

    private static List<String> split(String list) {
        List<String> out = Arrays.stream(trim(list).split("\\s*,\\s*")).filter(s -> !s.isEmpty()).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("an empty list of TLS protocols or suites would allow nothing");
        }
        return out;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
