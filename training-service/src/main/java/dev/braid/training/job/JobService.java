package dev.braid.training.job;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;
import dev.braid.training.TrainingProperties;
import dev.braid.training.remote.DatasetClient;

/** The queue's facade: submitting, reading and cancelling the caller's jobs. */
@Service
public class JobService {

    private final JobRepository repository;
    private final DatasetClient datasets;
    private final JobWakeups wakeups;
    private final TrainingProperties properties;

    JobService(JobRepository repository, DatasetClient datasets, JobWakeups wakeups, TrainingProperties properties) {
        this.repository = repository;
        this.datasets = datasets;
        this.wakeups = wakeups;
        this.properties = properties;
    }

    /** Queues a job once its dataset is known to exist for the caller and to allow non-private training. */
    TrainingJob submit(UUID datasetId, int epochs, int batchSize, double learningRate, long seed, boolean privateRequested) {
        DatasetClient.DatasetInfo dataset = datasets.dataset(datasetId);
        if (dataset.requiresPrivacy() && !privateRequested) {
            throw ApiException.unprocessable("privacy-required",
                    "Dataset " + datasetId + " has a privacy budget, so every job on it must be differentially private: give 'privacy'");
        }
        if (privateRequested) {
            throw ApiException.unprocessable("dp-unavailable",
                    "Differentially private training (DP-SGD) is not available in this version of Braid");
        }
        UUID id = UUID.randomUUID();
        repository.insert(id, CallerContext.tenant(), datasetId, epochs, batchSize, learningRate, seed,
                properties.worker().maxAttempts());
        // read before waking a worker: the answer reports the job as submitted, QUEUED, even when a
        // worker claims it a millisecond later
        TrainingJob queued = get(id);
        wakeups.notifyQueued(id);
        return queued;
    }

    TrainingJob get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> JobNotFound.forId(id));
    }

    List<TrainingJob> list(UUID datasetId, int page, int size) {
        return repository.list(CallerContext.tenant(), datasetId, page, size);
    }

    long count(UUID datasetId) {
        return repository.count(CallerContext.tenant(), datasetId);
    }

    TrainingJob cancel(UUID id) {
        TrainingJob job = get(id);
        if (!repository.requestCancel(CallerContext.tenant(), id)) {
            throw ApiException.conflict("job-finished", "Training job " + id + " is already " + job.status());
        }
        return get(id);
    }
}
