package dev.braid.dataset.catalog;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.braid.common.internalapi.ModelRegistryApi;
import dev.braid.common.internalapi.TrainingJobsApi;
import dev.braid.common.problem.ServiceUnavailable;

/**
 * The services holding what was made from a dataset: inference (its models) and training (its
 * jobs and checkpoints). Deleting a dataset tells both before its key is destroyed, so nothing
 * made from it keeps serving or running. Both calls are idempotent, so a retried delete is safe.
 */
@Component
class DependentServices {

    private final ModelRegistryApi inference;
    private final TrainingJobsApi training;

    DependentServices(ModelRegistryApi inference, TrainingJobsApi training) {
        this.inference = inference;
        this.training = training;
    }

    /** Revokes the dataset's models (undeployed, unloaded, artifacts deleted), then cancels its jobs and drops their checkpoints. */
    void revoke(UUID datasetId) {
        ServiceUnavailable.whenUnreachable("inference service", () -> inference.revokeDataset(datasetId));
        ServiceUnavailable.whenUnreachable("training service", () -> training.revokeDataset(datasetId));
    }
}
