package dev.braid.dataset.privacy;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.braid.common.crypto.DataKeys;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.web.ServiceClients;
import dev.braid.dataset.DatasetProperties;

/** The privacy service (keys and budgets), called as the current caller's tenant. */
@Component
public class PrivacyClient {

    private final RestClient http;
    private final DataKeys keys;

    PrivacyClient(ServiceClients clients, DatasetProperties properties) {
        this.http = clients.forBaseUrl(properties.services().privacy());
        this.keys = new DataKeys(http);
    }

    /** Opens the dataset's privacy budget ledger; idempotent for the same budget. */
    public void registerBudget(UUID datasetId, double epsilonBudget, double delta) {
        call(() -> http.post().uri("/internal/budgets")
                .body(Map.of("datasetId", datasetId, "epsilonBudget", epsilonBudget, "delta", delta))
                .retrieve()
                .toBodilessEntity());
    }

    /** Creates the dataset's data key; this service never keeps it, it asks for it when it needs it. */
    public void createDataKey(UUID datasetId) {
        call(() -> http.post().uri("/internal/keys/data-keys/{id}", datasetId).retrieve().toBodilessEntity());
    }

    /** The plaintext data key; the caller must keep it in memory only, and only for as long as it needs it. */
    public byte[] dataKey(UUID datasetId) {
        return keys.unwrap(datasetId);
    }

    /** Crypto-shredding: after this, the dataset's ciphertext can never be decrypted. Idempotent. */
    public void destroyDataKey(UUID datasetId) {
        call(() -> http.delete().uri("/internal/keys/data-keys/{id}", datasetId).retrieve().toBodilessEntity());
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        return ServiceUnavailable.whenUnreachable("privacy service", request);
    }
}
