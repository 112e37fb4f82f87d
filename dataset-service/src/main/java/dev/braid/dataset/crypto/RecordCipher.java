package dev.braid.dataset.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.crypto.tink.Aead;

import dev.braid.common.crypto.RawAead;

/**
 * Encryption of one dataset's records with its data key (Tink AES-256-GCM). Associated data binds
 * every ciphertext to its dataset, record and field, so no ciphertext can be moved to another
 * record. De-duplication uses an HMAC keyed from the data key rather than a plain hash, so the
 * stored fingerprints say nothing about the content to anyone without the key, and nothing at all
 * once the key is destroyed. Lives for one request; the key is wiped from this object on close.
 */
public final class RecordCipher implements AutoCloseable {

    private final UUID datasetId;
    private final Aead aead;
    private final byte[] fingerprintKey;

    private RecordCipher(UUID datasetId, Aead aead, byte[] fingerprintKey) {
        this.datasetId = datasetId;
        this.aead = aead;
        this.fingerprintKey = fingerprintKey;
    }

    static RecordCipher open(UUID datasetId, byte[] dataKey) {
        try {
            Aead aead = RawAead.of(dataKey);
            byte[] fingerprintKey = hmac(dataKey, "braid/fingerprint/v1".getBytes(StandardCharsets.UTF_8));
            return new RecordCipher(datasetId, aead, fingerprintKey);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the data key is not a usable AES-256 key", ex);
        }
        finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * What a record's ciphertexts are bound to besides their dataset and field: version 1 rows to
     * their id only, version 2 rows also to their label and split.
     */
    public record Binding(UUID recordId, int version, String label, String split) {

        public static final int CURRENT = 2;

        public static Binding current(UUID recordId, String label, String split) {
            return new Binding(recordId, CURRENT, label, split);
        }
    }

    public byte[] encrypt(Binding binding, String field, byte[] plaintext) {
        return seal(plaintext, associatedData(binding, field));
    }

    public byte[] decrypt(Binding binding, String field, byte[] ciphertext) {
        return open(binding.recordId(), ciphertext, associatedData(binding, field));
    }

    /** For what is bound to an id only, such as a staged image. */
    public byte[] encrypt(UUID recordId, String field, byte[] plaintext) {
        return seal(plaintext, associatedData(recordId, field));
    }

    public byte[] decrypt(UUID recordId, String field, byte[] ciphertext) {
        return open(recordId, ciphertext, associatedData(recordId, field));
    }

    private byte[] seal(byte[] plaintext, byte[] associatedData) {
        if (plaintext == null) {
            return null;
        }
        try {
            return aead.encrypt(plaintext, associatedData);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("encryption failed", ex);
        }
    }

    private byte[] open(UUID recordId, byte[] ciphertext, byte[] associatedData) {
        if (ciphertext == null) {
            return null;
        }
        try {
            return aead.decrypt(ciphertext, associatedData);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("record " + recordId + " does not decrypt: tampered or moved", ex);
        }
    }

    /** The record's keyed fingerprint over its length-prefixed label, text and image. */
    public byte[] fingerprint(String label, String text, byte[] image) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
            update(mac, label.getBytes(StandardCharsets.UTF_8));
            update(mac, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
            update(mac, image);
            return mac.doFinal();
        }
        catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void update(Mac mac, byte[] part) {
        mac.update(ByteBuffer.allocate(8).putLong(part == null ? -1 : part.length).array());
        if (part != null) {
            mac.update(part);
        }
    }

    private byte[] associatedData(UUID recordId, String field) {
        return ("braid/record/v1/" + datasetId + "/" + recordId + "/" + field).getBytes(StandardCharsets.UTF_8);
    }

    /** Version 2 adds the label and split, each length-prefixed, so no label can imitate another binding. */
    private byte[] associatedData(Binding binding, String field) {
        if (binding.version() == 1) {
            return associatedData(binding.recordId(), field);
        }
        byte[] head = ("braid/record/v2/" + datasetId + "/" + binding.recordId() + "/" + field).getBytes(StandardCharsets.UTF_8);
        byte[] label = binding.label().getBytes(StandardCharsets.UTF_8);
        byte[] split = binding.split().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(head.length + 8 + label.length + split.length).put(head)
                .putInt(label.length).put(label).putInt(split.length).put(split).array();
    }

    private static byte[] hmac(byte[] key, byte[] message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Override
    public void close() {
        Arrays.fill(fingerprintKey, (byte) 0);
    }
}
