package dev.braid.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import com.google.crypto.tink.Aead;
import org.springframework.web.client.HttpClientErrorException;

import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;

/**
 * Sealing and opening bytes that belong to a dataset (training checkpoints, model artifacts) under
 * that dataset's data key, unwrapped by the privacy service for each use and never kept. The
 * associated data names what the bytes are, so a sealed checkpoint cannot pass for a model or
 * for another job's checkpoint. Destroying the dataset's key makes all of them unreadable.
 */
public final class DataKeys {

    private final DataKeysApi privacy;

    /** {@code privacy}: the privacy service's data keys, called as the current caller. */
    public DataKeys(DataKeysApi privacy) {
        this.privacy = privacy;
    }

    public byte[] seal(UUID datasetId, String purpose, byte[] plaintext) {
        try {
            return aead(datasetId).encrypt(plaintext, purpose.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("sealing " + purpose + " failed", ex);
        }
    }

    /** The plaintext, or 409 {@code data-key-unavailable} when the dataset's key is gone; tampering is an error. */
    public byte[] open(UUID datasetId, String purpose, byte[] ciphertext) {
        try {
            return aead(datasetId).decrypt(ciphertext, purpose.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(purpose + " does not open under its dataset's key: corrupted or not what it claims", ex);
        }
    }

    private Aead aead(UUID datasetId) throws GeneralSecurityException {
        byte[] key = unwrap(datasetId);
        try {
            return RawAead.of(key);
        }
        finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The dataset's plaintext data key, or 409 {@code data-key-unavailable} once it is destroyed.
     * The caller keeps it in memory only, for as long as it needs it, and wipes it.
     */
    public byte[] unwrap(UUID datasetId) {
        DataKeysApi.DataKey key = ServiceUnavailable.whenUnreachable("privacy service", () -> {
            try {
                return privacy.unwrap(datasetId, DataKeysApi.Unwrap.STORED);
            }
            catch (HttpClientErrorException.Gone | HttpClientErrorException.NotFound ex) {
                throw ApiException.conflict("data-key-unavailable", "The data key of dataset " + datasetId
                        + " is gone; its records and everything sealed with it can no longer be read");
            }
        });
        return Base64.getDecoder().decode(key.dataKey());
    }
}
