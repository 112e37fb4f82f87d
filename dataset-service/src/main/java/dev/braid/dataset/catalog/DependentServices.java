package dev.braid.dataset.catalog;

import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.web.ServiceClients;
import dev.braid.dataset.DatasetProperties;

/**
 * The services holding what was made from a dataset: inference (its models) and training (its
 * jobs and checkpoints). Deleting a dataset tells both before its key is destroyed, so nothing
 * made from it keeps serving or running. Both calls are idempotent, so a retried delete is safe.
 */
@Component
class DependentServices {

    private final RestClient inference;
    private final RestClient training;

    DependentServices(ServiceClients clients, DatasetProperties properties) {
        this.inference = clients.forBaseUrl(properties.services().inference());
        this.training = clients.forBaseUrl(properties.services().training());
    }

    /** Revokes the dataset's models (undeployed, unloaded, artifacts deleted), then cancels its jobs and drops their checkpoints. */
    void revoke(UUID datasetId) {
        ServiceUnavailable.whenUnreachable("inference service", () -> inference.post()
                .uri("/internal/datasets/{id}/revoke", datasetId).retrieve().toBodilessEntity());
        ServiceUnavailable.whenUnreachable("training service", () -> training.post()
                .uri("/internal/datasets/{id}/revoke", datasetId).retrieve().toBodilessEntity());
    }
}
