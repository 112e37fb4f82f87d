package dev.braid.training.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;

/**
 * The job state machine's facade for workers: a worker claims a queued job, renews its lease, and hands the attempt
 * here to run. Which states a job passes through, what each stage does and what an error makes of the job all stay
 * in this package ({@link JobPipeline}).
 */
@Service
public class JobExecution {

    private final JobRepository jobs;
    private final JobPipeline pipeline;

    JobExecution(JobRepository jobs, JobPipeline pipeline) {
        this.jobs = jobs;
        this.pipeline = pipeline;
    }

    /** The oldest queued job (or one whose worker's lease ran out), now this worker's for {@code lease}. */
    public Optional<TrainingJob> claim(String worker, Duration lease) {
        return jobs.claim(worker, lease);
    }

    /** Renews the lease: whether the job has been cancelled since, or empty when the lease was lost. */
    public Optional<Boolean> heartbeat(UUID jobId, String worker, Duration lease) {
        return jobs.heartbeat(jobId, worker, lease);
    }

    /**
     * Runs the attempt as the job's tenant and returns the status it left the job in: SUCCEEDED, FAILED, CANCELLED,
     * QUEUED (to be tried again) or RUNNING (another worker holds it now).
     */
    public JobStatus run(Attempt attempt) {
        TrainingJob job = attempt.job();
        Caller caller = new Caller(job.tenant(), Role.MEMBER, "training-job/" + job.id(), null, Instant.now().plusSeconds(60));
        JobStatus[] outcome = {JobStatus.RUNNING};
        CallerContext.runAs(caller, () -> outcome[0] = pipeline.run(attempt));
        return outcome[0];
    }
}
