package dev.braid.common.internalapi;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.PostExchange;

/** The training service, as the dataset service tells it that a dataset is being deleted. */
public interface TrainingJobsApi {

    /** Cancels the dataset's unfinished jobs and drops their checkpoints; idempotent. */
    @PostExchange("/internal/datasets/{datasetId}/revoke")
    CancelledJobs revokeDataset(@PathVariable UUID datasetId);

    record CancelledJobs(UUID datasetId, int jobsCancelled) {
    }
}
