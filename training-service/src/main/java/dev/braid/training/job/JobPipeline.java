package dev.braid.training.job;

import java.io.IOException;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.report.JobMetrics;
import dev.braid.model.TrainingCancelledException;
import dev.braid.model.TrainingResult;

/**
 * A claimed job as named stages: load examples → train (from its last checkpoint, checkpointing each epoch) → settle ε
 * → publish the model. Each stage is its own class with a typed input and output; this class only chains them and
 * decides what an outcome makes of the job: SUCCEEDED once the model is registered (a private job's ε is charged
 * first, so no model is released unpaid), CANCELLED, QUEUED again for a failure another attempt may not hit, FAILED
 * for one it would. A job that ends without a model settles its reservation for the steps it ran.
 */
@Component
class JobPipeline {

    private static final Logger log = LoggerFactory.getLogger(JobPipeline.class);

    private final JobRepository jobs;
    private final LoadExamples loadExamples;
    private final TrainModel trainModel;
    private final PrivacySettlement settlement;
    private final PublishModel publishModel;

    JobPipeline(JobRepository jobs, LoadExamples loadExamples, TrainModel trainModel, PrivacySettlement settlement,
            PublishModel publishModel) {
        this.jobs = jobs;
        this.loadExamples = loadExamples;
        this.trainModel = trainModel;
        this.settlement = settlement;
        this.publishModel = publishModel;
    }

    JobStatus run(Attempt attempt) {
        TrainingJob job = attempt.job();
        log.info("Running training job {} (attempt {} of {})", job.id(), job.attempt(), job.maxAttempts());
        if (job.cancelRequested()) {
            return end(attempt, JobStatus.CANCELLED, null, null);
        }
        if (job.attempt() > job.maxAttempts()) {
            return end(attempt, JobStatus.FAILED, "gave up after " + job.maxAttempts() + " attempts"
                    + (job.error() == null ? "" : "; last error: " + job.error()), null);
        }
        try {
            LoadExamples.Loaded data = loadExamples.load(job);
            TrainingResult result = trainModel.train(attempt, data);
            JobMetrics metrics = RunReports.metrics(result, data.dataset().labels());
            if (job.isPrivate()) {
                metrics = metrics.withPrivacy(settlement.settleSucceeded(job, result.privacy()));
            }
            UUID model = publishModel.publish(job, data, result, metrics);
            if (jobs.succeed(job.id(), attempt.worker(), metrics, model)) {
                log.info("Training job {} succeeded: model {}", job.id(), model);
                return JobStatus.SUCCEEDED;
            }
            return JobStatus.RUNNING;
        }
        catch (TrainingCancelledException ex) {
            if (attempt.cancelled()) {
                log.info("Training job {} cancelled", job.id());
                return end(attempt, JobStatus.CANCELLED, null, ex.step());
            }
            return JobStatus.RUNNING; // the lease went to another worker, which carries on from the last checkpoint
        }
        catch (ServiceUnavailable ex) {
            // another service is down or restarting: worth another attempt, unlike the problems below
            return retryOrFail(attempt, ex.getMessage(), ex);
        }
        catch (ApiException | IllegalArgumentException ex) {
            log.warn("Training job {} failed: {}", job.id(), ex.getMessage());
            return end(attempt, JobStatus.FAILED, ex.getMessage(), null);
        }
        catch (IOException | RuntimeException ex) {
            return retryOrFail(attempt, ex.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
        }
    }

    /** Queues the job again for a failure another attempt may not hit; FAILED once its attempts are used up. */
    private JobStatus retryOrFail(Attempt attempt, String reason, Exception ex) {
        TrainingJob job = attempt.job();
        if (job.attempt() < job.maxAttempts()) {
            jobs.requeue(job.id(), attempt.worker(), reason);
            log.warn("Training job {} attempt {} failed, queued again: {}", job.id(), job.attempt(), reason, ex);
            return JobStatus.QUEUED;
        }
        log.error("Training job {} failed after {} attempts: {}", job.id(), job.attempt(), reason, ex);
        return end(attempt, JobStatus.FAILED, reason, null);
    }

    /** Ends the job without a model: its reservation settled for what ran ({@code stepsRun}; null: its last checkpoint's). */
    private JobStatus end(Attempt attempt, JobStatus status, String error, Long stepsRun) {
        settlement.settleUnfinished(attempt.job(), stepsRun);
        jobs.finish(attempt.job().id(), attempt.worker(), status, error);
        return status;
    }
}
