package org.lprgateway.it;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.lprgateway.mqtt.MqttTls;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.SecureMosquitto;
import org.lprgateway.support.TestCa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The broker configuration shipped in deploy/mosquitto/secure, run by a real Mosquitto: logins,
 * the ACL of cameras and server, the TLS listener with the gateway's own TLS client settings
 * (MqttTls), mutual TLS, and the plaintext listener switched off.
 */
class MqttBrokerSecurityIT extends ProcessTest {

    private static final String SERVER_PW = "server-" + UUID.randomUUID();
    private static final String CAM1_PW = "cam1-" + UUID.randomUUID();
    private static final String CAM2_PW = "cam2-" + UUID.randomUUID();

    private SecureMosquitto broker(boolean plaintext, boolean requireCertificate) throws Exception {
        return track(new SecureMosquitto().user(SecureMosquitto.SERVER_USER, SERVER_PW).user("CAM001", CAM1_PW)
                .user("CAM002", CAM2_PW).plaintext(plaintext).requireCertificate(requireCertificate)).start();
    }

    private MqttProbe probe(String url, String user, String password) throws MqttException {
        return track(new MqttProbe(url, "probe-" + UUID.randomUUID(), MqttProbe.login(user, password)));
    }

    /** Publishes, ignoring a refusal the broker reports (MQTT 5 PUBACK "not authorized"): what counts is who receives it. */
    private static void tryPublish(MqttProbe p, String topic, String payload) {
        try {
            p.publish(topic, payload, 1);
        } catch (MqttException refused) {
            // the broker said no; the assertions below check that nothing got through either way
        }
    }

    private static MqttTls tls(String url, java.nio.file.Path caFile) {
        MqttTls tls = new MqttTls();
        tls.setBrokerUrl(url);
        tls.setCaFile(caFile.toString());
        return tls;
    }

    private static MqttConnectionOptions tlsLogin(String user, String password, MqttTls tls) throws Exception {
        MqttConnectionOptions o = MqttProbe.login(user, password);
        o.setSocketFactory(tls.socketFactory());
        o.setHttpsHostnameVerificationEnabled(tls.isHostnameVerification());
        return o;
    }

    @Test
    void a_camera_publishes_and_reads_only_its_own_topics_and_never_what_the_server_sends() throws Exception {
        SecureMosquitto broker = broker(true, false);
        MqttProbe server = probe(broker.plainUrl(), SecureMosquitto.SERVER_USER, SERVER_PW).subscribe("lprserver/#", 1);
        MqttProbe cam1 = probe(broker.plainUrl(), "CAM001", CAM1_PW).subscribe("lprserver/cameras/CAM001/#", 1)
                .subscribe("lprserver/blacklist/updates", 1);
        // CAM002 tries to listen to CAM001's downlink and to everything
        MqttProbe cam2 = probe(broker.plainUrl(), "CAM002", CAM2_PW).subscribe("lprserver/cameras/CAM001/control", 1)
                .subscribe("lprserver/#", 1).subscribe("lprserver/blacklist/updates", 1);

        // as another camera, and every topic only the server may publish
        List<String> forbidden = List.of("lprserver/cameras/CAM002/detection", "lprserver/cameras/CAM002/health",
                "lprserver/cameras/CAM001/control", "lprserver/cameras/CAM002/control", "lprserver/cameras/CAM001/config/update",
                "lprserver/cameras/CAM001/detection/ack", "lprserver/blacklist/updates", "lprserver/blacklist/notifications",
                "lprserver/system/control");
        for (String topic : forbidden) {
            tryPublish(cam1, topic, "{\"forged\": true}");
        }
        cam1.publish("lprserver/cameras/CAM001/detection", "{\"own\": 1}", 1);
        cam1.publish("lprserver/cameras/CAM001/control/response", "{\"own\": 2}", 1);
        // one client's messages arrive in order: once the last own message is there, the forged ones would be too
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.on("lprserver/cameras/CAM001/control/response").isEmpty());
        assertThat(server.received()).extracting(MqttProbe.Received::topic)
                .containsExactly("lprserver/cameras/CAM001/detection", "lprserver/cameras/CAM001/control/response");

        // the server's downlink reaches its camera only; the blacklist reaches every camera
        server.publish("lprserver/cameras/CAM001/control", "{\"to\": \"CAM001\"}", 1);
        server.publish("lprserver/blacklist/updates", "{\"blacklist\": []}", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !cam2.on("lprserver/blacklist/updates").isEmpty()
                && !cam1.on("lprserver/blacklist/updates").isEmpty());
        assertThat(cam1.on("lprserver/cameras/CAM001/control")).hasSize(1);
        assertThat(cam2.received()).extracting(MqttProbe.Received::topic).containsOnly("lprserver/blacklist/updates");
    }

    @Test
    void anonymous_clients_and_wrong_passwords_are_refused() throws Exception {
        SecureMosquitto broker = broker(true, false);
        assertThatThrownBy(() -> new MqttProbe(broker.plainUrl(), "anonymous")).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> new MqttProbe(broker.plainUrl(), "wrong", MqttProbe.login("CAM001", CAM2_PW)))
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> new MqttProbe(broker.plainUrl(), "nobody", MqttProbe.login("CAM999", CAM1_PW)))
                .isInstanceOf(MqttException.class);
        probe(broker.plainUrl(), "CAM001", CAM1_PW).publish("lprserver/cameras/CAM001/health", "{}", 0);
    }

    @Test
    void the_tls_listener_proves_the_brokers_name_with_the_private_ca_and_refuses_weak_ciphers() throws Exception {
        SecureMosquitto broker = broker(true, false);
        // the JVM's own trust store does not know the private CA
        assertThatThrownBy(() -> new MqttProbe(broker.tlsUrl(), "jvm-trust", MqttProbe.login("CAM001", CAM1_PW)))
                .isInstanceOf(MqttException.class);
        // the gateway's TLS settings: private CA file, host name checked, restricted suites
        MqttProbe cam = track(new MqttProbe(broker.tlsUrl(), "tls-" + UUID.randomUUID(),
                tlsLogin("CAM001", CAM1_PW, tls(broker.tlsUrl(), broker.caFile()))));
        cam.publish("lprserver/cameras/CAM001/detection", "{}", 1);

        // a broker certificate from another CA is refused
        TestCa other = TestCa.create(broker.dir().resolve("other-ca"), "other-ca");
        assertThatThrownBy(() -> new MqttProbe(broker.tlsUrl(), "wrong-ca", tlsLogin("CAM001", CAM1_PW, tls(broker.tlsUrl(), other.cert()))))
                .isInstanceOf(MqttException.class).hasStackTraceContaining("PKIX");
        // the certificate names localhost, not 127.0.0.1: peer verification refuses the address
        String byAddress = "ssl://127.0.0.1:" + broker.tlsPort();
        assertThatThrownBy(() -> new MqttProbe(byAddress, "wrong-name", tlsLogin("CAM001", CAM1_PW, tls(byAddress, broker.caFile()))))
                .isInstanceOf(MqttException.class);
        MqttTls unchecked = tls(byAddress, broker.caFile());
        unchecked.setHostnameVerification(false);
        track(new MqttProbe(byAddress, "lab", tlsLogin("CAM001", CAM1_PW, unchecked)));

        // the listener offers ECDHE with AES-GCM or ChaCha20 only: a CBC suite, or TLS 1.1, gets no handshake
        assertThat(handshake(broker.tlsPort(), broker.caFile(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")).isFalse();
        assertThat(handshake(broker.tlsPort(), broker.caFile(), "TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")).isFalse();
        assertThat(handshake(broker.tlsPort(), broker.caFile(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isTrue();
        assertThat(handshake(broker.tlsPort(), broker.caFile(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isTrue();
    }

    @Test
    void mutual_tls_when_required_takes_only_clients_with_a_certificate_of_the_ca() throws Exception {
        SecureMosquitto broker = broker(true, true);
        MqttTls noCert = tls(broker.tlsUrl(), broker.caFile());
        assertThatThrownBy(() -> new MqttProbe(broker.tlsUrl(), "no-cert", tlsLogin("CAM001", CAM1_PW, noCert)))
                .isInstanceOf(MqttException.class);
        TestCa other = TestCa.create(broker.dir().resolve("rogue-ca"), "rogue-ca");
        java.nio.file.Path[] rogue = other.client("CAM001");
        MqttTls rogueCert = tls(broker.tlsUrl(), broker.caFile());
        rogueCert.setCertFile(rogue[0].toString());
        rogueCert.setKeyFile(rogue[1].toString());
        assertThatThrownBy(() -> new MqttProbe(broker.tlsUrl(), "rogue-cert", tlsLogin("CAM001", CAM1_PW, rogueCert)))
                .isInstanceOf(MqttException.class);

        java.nio.file.Path[] client = broker.ca().client("CAM001");
        MqttTls withCert = tls(broker.tlsUrl(), broker.caFile());
        withCert.setCertFile(client[0].toString());
        withCert.setKeyFile(client[1].toString());
        MqttProbe server = probe(broker.plainUrl(), SecureMosquitto.SERVER_USER, SERVER_PW).subscribe("lprserver/cameras/+/detection", 1);
        MqttProbe cam = track(new MqttProbe(broker.tlsUrl(), "mtls", tlsLogin("CAM001", CAM1_PW, withCert)));
        cam.publish("lprserver/cameras/CAM001/detection", "{\"mtls\": true}", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.on("lprserver/cameras/CAM001/detection").size() == 1);
    }

    @Test
    void with_the_plaintext_listener_removed_only_tls_answers() throws Exception {
        SecureMosquitto broker = broker(false, false);
        assertThatThrownBy(() -> new Socket("127.0.0.1", broker.plainPort()).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new MqttProbe(broker.plainUrl(), "plain", MqttProbe.login("CAM001", CAM1_PW)))
                .isInstanceOf(MqttException.class);
        track(new MqttProbe(broker.tlsUrl(), "tls", tlsLogin("CAM001", CAM1_PW, tls(broker.tlsUrl(), broker.caFile()))))
                .publish("lprserver/cameras/CAM001/health", "{}", 0);
    }

    /** Whether a TLS handshake with only this protocol and suite succeeds. */
    private static boolean handshake(int port, java.nio.file.Path caFile, String protocol, String suite) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(caFile)) {
            ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            s.setEnabledProtocols(new String[] {protocol});
            s.setEnabledCipherSuites(new String[] {suite});
            s.setSoTimeout(5000);
            s.startHandshake();
            return true;
        } catch (SSLException | IllegalArgumentException refused) {
            return false;
        }
    }
}
