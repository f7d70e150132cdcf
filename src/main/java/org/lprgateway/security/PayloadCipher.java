package org.lprgateway.security;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one message, in the layout the camera team's Python code uses:
 * {@code base64(nonce ‖ tag ‖ ciphertext)} with a random 12-byte nonce, the 16-byte tag and no
 * associated data (pycryptodome's {@code nonce + tag + ciphertext}). The JDK's GCM appends the tag
 * to the ciphertext; this class only moves it to the front and back.
 *
 * <p>Thread-safe: a new {@link Cipher} per call. The key never appears in a message or in
 * {@link #toString()}.
 */
public final class PayloadCipher {

    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public PayloadCipher(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes, this one "
                    + (key == null ? "none" : key.length));
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A key given as base64 of 32 bytes (standard alphabet, surrounding white space ignored). */
    public static PayloadCipher ofBase64Key(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64");
        }
        return new PayloadCipher(raw);
    }

    /** @return base64 of a fresh nonce, the tag and the ciphertext of {@code plaintext} */
    public String seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            sealed = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM not available: " + e.getMessage(), e);
        }
        int textLength = sealed.length - TAG_BYTES;
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                .put(nonce)
                .put(sealed, textLength, TAG_BYTES)
                .put(sealed, 0, textLength)
                .array());
    }

    /**
     * @return the plaintext of a message made by {@link #seal} (or by anyone with the same key and layout)
     * @throws RefusedException when it is not base64, too short to hold nonce and tag, or fails
     *         authentication (another key, or altered on the way); the reason never quotes the input
     */
    public byte[] open(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RefusedException("not base64");
        }
        if (raw.length < NONCE_BYTES + TAG_BYTES) {
            throw new RefusedException(raw.length + " bytes, too short for a " + NONCE_BYTES + "-byte nonce and a "
                    + TAG_BYTES + "-byte tag");
        }
        int textLength = raw.length - NONCE_BYTES - TAG_BYTES;
        byte[] textAndTag = ByteBuffer.allocate(textLength + TAG_BYTES)
                .put(raw, NONCE_BYTES + TAG_BYTES, textLength)
                .put(raw, NONCE_BYTES, TAG_BYTES)
                .array();
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, raw, 0, NONCE_BYTES));
            return cipher.doFinal(textAndTag);
        } catch (AEADBadTagException e) {
            throw new RefusedException("authentication failed: encrypted with another key, or altered on the way");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PayloadCipher[AES-256-GCM]";
    }

    /** An encrypted payload that cannot be opened; the message says why, without quoting it. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String reason) {
            super(reason);
        }
    }
}
