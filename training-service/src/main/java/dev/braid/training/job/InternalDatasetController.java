package dev.braid.training.job;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the dataset service tells training when a dataset is deleted. Internal: no gateway route, service tokens only. */
@RestController
class InternalDatasetController {

    private final JobService jobs;

    InternalDatasetController(JobService jobs) {
        this.jobs = jobs;
    }

    record RevokedResponse(UUID datasetId, int jobsCancelled) {
    }

    @PostMapping("/internal/datasets/{datasetId}/revoke")
    RevokedResponse revoke(@PathVariable UUID datasetId) {
        return new RevokedResponse(datasetId, jobs.revokeDataset(datasetId));
    }
}
