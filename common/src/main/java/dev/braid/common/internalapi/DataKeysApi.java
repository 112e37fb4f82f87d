package dev.braid.common.internalapi;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The privacy service's data keys: one per dataset, wrapped under its tenant's key-encryption key. */
public interface DataKeysApi {

    /** Creates the dataset's data key (201); the caller keeps nothing of the answer. */
    @PostExchange("/internal/keys/data-keys/{datasetId}")
    CreatedDataKey create(@PathVariable UUID datasetId);

    /** The plaintext data key, or 404/410 once it is destroyed. */
    @PostExchange("/internal/keys/data-keys/{datasetId}/unwrap")
    DataKey unwrap(@PathVariable UUID datasetId, @RequestBody Unwrap request);

    /** Crypto-shredding (204); idempotent. */
    @DeleteExchange("/internal/keys/data-keys/{datasetId}")
    void destroy(@PathVariable UUID datasetId);

    /** A new data key: base64 plaintext and wrapped form, and the key-encryption key version that wraps it. */
    record CreatedDataKey(UUID datasetId, String dataKey, String wrappedKey, long keyVersion) {
    }

    /** What to unwrap: a given wrapped key (base64), or, when null, the dataset's stored one. */
    record Unwrap(String wrappedKey) {

        public static final Unwrap STORED = new Unwrap(null);
    }

    /** A dataset's plaintext data key, base64; held in memory only, for as long as it is needed, then wiped. */
    record DataKey(UUID datasetId, String dataKey) {
    }
}
