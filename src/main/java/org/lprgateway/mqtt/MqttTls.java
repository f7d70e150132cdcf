package org.lprgateway.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.lprgateway.security.PolicySocketFactory;

/**
 * The TLS side of every MQTT connection of the gateway ({@code mqtt.tls.*}). A broker URL starting
 * {@code ssl://} gets a socket factory that trusts the CA file or trust store given (the JVM's
 * own trust store when neither is), presents the client certificate given (mutual TLS), and allows
 * only the protocols and cipher suites listed; any other URL gets plain sockets. The broker's host
 * name is checked against its certificate by Paho ({@link #isHostnameVerification()}).
 */
public class MqttTls {

    /** TLS 1.3 suites and TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305: nothing else. */
    public static final List<String> DEFAULT_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private String brokerUrl = "";
    private String caFile = "";
    private String trustStore = "";
    private String trustStorePassword = "";
    private String certFile = "";
    private String keyFile = "";
    private String keyStore = "";
    private String keyStorePassword = "";
    private String protocols = "TLSv1.3,TLSv1.2";
    private String cipherSuites = "";
    private boolean hostnameVerification = true;
    private SocketFactory factory;

    /** Builds the socket factory once at start: a bad CA file or key fails the start, not the first connection. */
    public void init() throws GeneralSecurityException, IOException {
        socketFactory();
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = trim(brokerUrl);
    }

    /** PEM file with the CA certificate(s) the broker's certificate must chain to (a private CA). */
    public void setCaFile(String caFile) {
        this.caFile = trim(caFile);
    }

    /** PKCS#12 trust store, instead of {@link #setCaFile(String)}. */
    public void setTrustStore(String trustStore) {
        this.trustStore = trim(trustStore);
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    }

    /** PEM client certificate (chain) for mutual TLS, with {@link #setKeyFile(String)}. */
    public void setCertFile(String certFile) {
        this.certFile = trim(certFile);
    }

    /** Unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}) of the client certificate. */
    public void setKeyFile(String keyFile) {
        this.keyFile = trim(keyFile);
    }

    /** PKCS#12 key store holding the client certificate and key, instead of the PEM pair. */
    public void setKeyStore(String keyStore) {
        this.keyStore = trim(keyStore);
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    }

    /** Comma-separated protocol names; only those this JVM supports are enabled. */
    public void setProtocols(String protocols) {
        this.protocols = trim(protocols);
    }

    /** Comma-separated cipher suites (Java names); empty: {@link #DEFAULT_SUITES}. */
    public void setCipherSuites(String cipherSuites) {
        this.cipherSuites = trim(cipherSuites);
    }

    public void setHostnameVerification(boolean hostnameVerification) {
        this.hostnameVerification = hostnameVerification;
    }

    public boolean isHostnameVerification() {
        return hostnameVerification;
    }

    public boolean isTls() {
        return isTls(brokerUrl);
    }

    static boolean isTls(String url) {
        String u = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return u.startsWith("ssl://") || u.startsWith("wss://");
    }

    /** The socket factory for the broker URL: TLS for {@code ssl://}, plain otherwise. */
    public synchronized SocketFactory socketFactory() throws GeneralSecurityException, IOException {
        if (factory == null) {
            factory = isTls() ? tlsFactory() : SocketFactory.getDefault();
        }
        return factory;
    }

    private SocketFactory tlsFactory() throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore());
        KeyManagerFactory kmf = null;
        KeyStore keys = keyStore();
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyStorePassword.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocketFactory delegate = context.getSocketFactory();
        String[] enabledProtocols = supported(list(protocols), context.getSupportedSSLParameters().getProtocols(), "protocol");
        String[] enabledSuites = supported(cipherSuites.isEmpty() ? DEFAULT_SUITES : list(cipherSuites),
                delegate.getSupportedCipherSuites(), "cipher suite");
        return new PolicySocketFactory(delegate, List.of(enabledProtocols), List.of(enabledSuites));
    }

    /** null: the JVM's default trust store. */
    private KeyStore trustStore() throws GeneralSecurityException, IOException {
        if (!caFile.isEmpty()) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certificates(Path.of(caFile))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("mqtt.tls.caFile " + caFile + " holds no certificate");
            }
            return ks;
        }
        if (!trustStore.isEmpty()) {
            return load(trustStore, trustStorePassword);
        }
        return null;
    }

    private KeyStore keyStore() throws GeneralSecurityException, IOException {
        if (!keyStore.isEmpty()) {
            return load(keyStore, keyStorePassword);
        }
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw new GeneralSecurityException("mqtt.tls.certFile and mqtt.tls.keyFile go together");
        }
        if (certFile.isEmpty()) {
            return null;
        }
        List<Certificate> chain = certificates(Path.of(certFile));
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", privateKey(Path.of(keyFile), chain.get(0)), keyStorePassword.toCharArray(),
                chain.toArray(new Certificate[0]));
        return ks;
    }

    private static KeyStore load(String file, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static List<Certificate> certificates(Path pem) throws GeneralSecurityException, IOException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(cf.generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(Path pem, Certificate cert) throws GeneralSecurityException, IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new GeneralSecurityException("mqtt.tls.keyFile " + pem
                    + ": not an unencrypted PKCS#8 PEM key (convert with: openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        return KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String[] supported(List<String> wanted, String[] available, String what) throws GeneralSecurityException {
        List<String> all = Arrays.asList(available);
        String[] out = wanted.stream().filter(all::contains).toArray(String[]::new);
        if (out.length == 0) {
            throw new GeneralSecurityException("no " + what + " of " + wanted + " is supported by this JVM");
        }
        return out;
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
