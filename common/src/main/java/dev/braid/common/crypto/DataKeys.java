package dev.braid.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import com.google.crypto.tink.Aead;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;

/**
 * Sealing and opening bytes that belong to a dataset (training checkpoints, model artifacts) under
 * that dataset's data key, unwrapped by the privacy service for each use and never kept. The
 * associated data names what the bytes are, so a sealed checkpoint cannot pass for a model or
 * for another job's checkpoint. Destroying the dataset's key makes all of them unreadable.
 */
public final class DataKeys {

    private final RestClient privacy;

    /** {@code privacy}: a client for the privacy service's base URL, signing as the current caller. */
    public DataKeys(RestClient privacy) {
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
        JsonNode body = ServiceUnavailable.whenUnreachable("privacy service", () -> privacy.post()
                .uri("/internal/keys/data-keys/{id}/unwrap", datasetId)
                .body(Map.of())
                .retrieve()
                .onStatus(status -> status.value() == 410 || status.value() == 404, (request, response) -> {
                    throw ApiException.conflict("data-key-unavailable",
                            "The data key of dataset " + datasetId
                                    + " is gone; its records and everything sealed with it can no longer be read");
                })
                .body(JsonNode.class));
        return Base64.getDecoder().decode(body.path("dataKey").stringValue());
    }
}
