package org.lprgateway.security;

import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.TestCa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsTest {

    @TempDir
    Path dir;

    @Test
    void refuses_protocols_below_tls_1_2_and_suites_without_ecdhe_or_aead() {
        Tls tls = new Tls();
        assertThatThrownBy(() -> tls.setProtocols("TLSv1.2,TLSv1.1")).hasMessageContaining("TLSv1.1");
        assertThatThrownBy(() -> tls.setCipherSuites("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).hasMessageContaining("CBC");
        assertThatThrownBy(() -> tls.setCipherSuites("TLS_RSA_WITH_AES_128_GCM_SHA256")).hasMessageContaining("TLS_RSA");
        assertThatThrownBy(() -> tls.setCipherSuites("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")).hasMessageContaining("DHE");
        tls.setCipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256");
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void a_server_takes_pem_files_and_requires_client_certificates_from_the_configured_ca() throws Exception {
        TestCa ca = TestCa.create(dir, "unit-ca");
        TestCa.Identity id = ca.issue("server", "DNS:localhost");
        Tls tls = new Tls();
        tls.setCertFile(id.cert().toString());
        tls.setKeyFile(id.key().toString());
        tls.setCaFile(ca.cert().toString());
        tls.setClientAuth("required");
        HttpServerOptions options = new HttpServerOptions();
        tls.applyToServer(options);
        assertThat(options.isSsl()).isTrue();
        assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(options.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        assertThat(options.getEnabledCipherSuites()).allMatch(s -> s.contains("GCM") || s.contains("CHACHA20"));
    }

    @Test
    void mutual_tls_without_a_ca_and_a_listener_without_a_certificate_fail_with_the_setting_to_fix() throws Exception {
        TestCa ca = TestCa.create(dir, "unit-ca");
        TestCa.Identity id = ca.issue("server", "DNS:localhost");
        Tls noCa = new Tls();
        noCa.setCertFile(id.cert().toString());
        noCa.setKeyFile(id.key().toString());
        noCa.setClientAuth("required");
        assertThatThrownBy(() -> noCa.applyToServer(new HttpServerOptions())).hasMessageContaining("tls.caFile");
        assertThatThrownBy(() -> new Tls().applyToServer(new HttpServerOptions())).hasMessageContaining("tls.certFile");
    }

    @Test
    void a_key_that_is_not_pkcs8_is_refused_with_the_conversion_to_run() throws Exception {
        Path sec1 = dir.resolve("ec.key");
        Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.privateKey(sec1.toString())).hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void a_wrong_key_store_password_fails_without_naming_the_password() throws Exception {
        TestCa ca = TestCa.create(dir, "unit-ca");
        Path p12 = ca.pkcs12(ca.issue("server", "DNS:localhost"), "right-password");
        Tls tls = new Tls();
        tls.setKeyStoreFile(p12.toString());
        tls.setKeyStorePassword("wrong-password");
        assertThatThrownBy(() -> tls.applyToServer(new HttpServerOptions()))
                .hasMessageContaining("tls.keyStore.file")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("wrong-password").doesNotContain("right-password"));
    }
}
