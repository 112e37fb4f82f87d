package dev.braid.training.job;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.internalapi.TrainingJobsApi;

/** What the dataset service tells training when a dataset is deleted. Internal: no gateway route, service tokens only. */
@RestController
class InternalDatasetController implements TrainingJobsApi {

    private final JobService jobs;

    InternalDatasetController(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public CancelledJobs revokeDataset(@PathVariable UUID datasetId) {
        return new CancelledJobs(datasetId, jobs.revokeDataset(datasetId));
    }
}
