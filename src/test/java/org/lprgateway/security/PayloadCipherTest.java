package org.lprgateway.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadCipherTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    private static byte[] decoded(String sealed) {
        return Base64.getDecoder().decode(sealed);
    }

    private static String encoded(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void what_is_sealed_opens_to_the_same_bytes_for_any_length() {
        PayloadCipher cipher = new PayloadCipher(key(1));
        for (int length : new int[] {0, 1, 15, 16, 17, 1000, 200_000}) {
            byte[] plain = new byte[length];
            new Random(length).nextBytes(plain);
            String sealed = cipher.seal(plain);
            assertThat(decoded(sealed)).as("nonce + tag + ciphertext").hasSize(12 + 16 + length);
            assertThat(cipher.open(sealed)).isEqualTo(plain);
        }
    }

    @Test
    void every_seal_draws_a_fresh_nonce() {
        PayloadCipher cipher = new PayloadCipher(key(1));
        byte[] plain = "{\"license_plate\":\"ABC1234\"}".getBytes(StandardCharsets.UTF_8);
        Set<String> nonces = new HashSet<>();
        Set<String> sealed = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = cipher.seal(plain);
            sealed.add(s);
            nonces.add(HEX.formatHex(decoded(s), 0, 12));
        }
        assertThat(nonces).hasSize(1000);
        assertThat(sealed).hasSize(1000);
    }

    @Test
    void the_layout_is_nonce_then_tag_then_ciphertext_as_a_published_gcm_test_vector_shows() {
        // NIST GCM test case 14: AES-256, zero key, zero 96-bit IV, 16 zero bytes of plaintext
        byte[] nonce = new byte[12];
        byte[] ciphertext = HEX.parseHex("cea7403d4d606b6e074ec5d3baf39d18");
        byte[] tag = HEX.parseHex("d0d1c8a799996bf0265b98b5d48ab919");
        String layout = encoded(ByteBuffer.allocate(44).put(nonce).put(tag).put(ciphertext).array());
        assertThat(new PayloadCipher(new byte[32]).open(layout)).isEqualTo(new byte[16]);

        // the JDK's own order (ciphertext before tag) is not the layout and is refused
        String jdkOrder = encoded(ByteBuffer.allocate(44).put(nonce).put(ciphertext).put(tag).array());
        assertThatThrownBy(() -> new PayloadCipher(new byte[32]).open(jdkOrder))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessageContaining("authentication failed");
    }

    @Test
    void a_changed_bit_in_nonce_tag_or_ciphertext_is_refused() {
        PayloadCipher cipher = new PayloadCipher(key(2));
        byte[] sealed = decoded(cipher.seal("{\"license_plate\":\"ABC1234\"}".getBytes(StandardCharsets.UTF_8)));
        for (int position : new int[] {0, 11, 12, 27, 28, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[position] ^= 0x01;
            assertThatThrownBy(() -> cipher.open(encoded(altered))).as("bit flipped at %d", position)
                    .isInstanceOf(PayloadCipher.RefusedException.class)
                    .hasMessage("authentication failed: encrypted with another key, or altered on the way");
        }
        byte[] cut = java.util.Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> cipher.open(encoded(cut))).isInstanceOf(PayloadCipher.RefusedException.class);
    }

    @Test
    void another_key_cannot_open_it() {
        String sealed = new PayloadCipher(key(3)).seal("ABC1234".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new PayloadCipher(key(4)).open(sealed))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessageContaining("another key");
    }

    @Test
    void input_not_in_the_layout_is_refused_with_a_reason_that_does_not_quote_it() {
        PayloadCipher cipher = new PayloadCipher(key(5));
        assertThatThrownBy(() -> cipher.open("{\"license_plate\":\"ABC1234\"}"))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessage("not base64");
        assertThatThrownBy(() -> cipher.open(encoded(new byte[27])))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessage("27 bytes, too short for a 12-byte nonce and a 16-byte tag");
        assertThatThrownBy(() -> cipher.open(""))
                .isInstanceOf(PayloadCipher.RefusedException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void only_a_32_byte_key_is_accepted() {
        assertThatThrownBy(() -> new PayloadCipher(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, this one 16");
        assertThatThrownBy(() -> PayloadCipher.ofBase64Key("not a key!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the key is not base64");
        String k = encoded(key(6));
        assertThat(PayloadCipher.ofBase64Key(" " + k + "\n").open(new PayloadCipher(key(6)).seal(new byte[] {42})))
                .containsExactly(42);
        assertThat(PayloadCipher.ofBase64Key(k).toString()).doesNotContain(k);
    }
}
