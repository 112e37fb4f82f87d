package dev.braid.training.job;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.model.Checkpoint;
import dev.braid.training.remote.PrivacyClient;

/**
 * A job's checkpoints, one per epoch, sealed under its dataset's data key (so deleting the dataset makes them
 * unreadable too) with associated data naming the job, so one job's checkpoint cannot pass for another's.
 */
@Component
class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final JobRepository jobs;
    private final PrivacyClient privacy;

    CheckpointStore(JobRepository jobs, PrivacyClient privacy) {
        this.jobs = jobs;
        this.privacy = privacy;
    }

    /** The job's last checkpoint, opened; none on a first attempt. */
    Checkpoint resumePoint(TrainingJob job) throws IOException {
        Optional<JobRepository.StoredCheckpoint> stored = jobs.checkpoint(job.id());
        if (stored.isEmpty()) {
            return null;
        }
        Checkpoint checkpoint = Checkpoint.fromBytes(privacy.keys().open(job.datasetId(), context(job), stored.get().sealed()));
        jobs.event(job.id(), "resumed", Map.of("epoch", checkpoint.epoch(), "step", checkpoint.step(), "attempt", job.attempt()));
        log.info("Training job {} resumes after epoch {} (step {})", job.id(), checkpoint.epoch(), checkpoint.step());
        return checkpoint;
    }

    /** Stores the epoch's checkpoint; false when the attempt no longer holds the job's lease. */
    boolean save(Attempt attempt, Checkpoint checkpoint) {
        TrainingJob job = attempt.job();
        byte[] sealed = privacy.keys().seal(job.datasetId(), context(job), checkpoint.toBytes());
        return jobs.saveCheckpoint(job.id(), attempt.worker(), checkpoint.epoch(), checkpoint.step(), checkpoint.privateSteps(), sealed);
    }

    private static String context(TrainingJob job) {
        return "checkpoint/" + job.id();
    }
}
