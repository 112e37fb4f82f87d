package dev.braid.dataset.privacy;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.web.ServiceClients;
import dev.braid.dataset.DatasetProperties;

/** The privacy service, called as the current caller's tenant. */
@Component
public class PrivacyClient {

    private final RestClient http;

    PrivacyClient(ServiceClients clients, DatasetProperties properties) {
        this.http = clients.forBaseUrl(properties.services().privacy());
    }

    /** Opens the dataset's privacy budget ledger; idempotent for the same budget. */
    public void registerBudget(UUID datasetId, double epsilonBudget, double delta) {
        try {
            http.post().uri("/internal/budgets")
                    .body(Map.of("datasetId", datasetId, "epsilonBudget", epsilonBudget, "delta", delta))
                    .retrieve()
                    .toBodilessEntity();
        }
        catch (ResourceAccessException ex) {
            throw ServiceUnavailable.of("privacy service");
        }
    }
}
