package dev.braid.training.worker;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.common.report.BranchMetrics;
import dev.braid.common.report.JobMetrics;
import dev.braid.common.report.PrivacyReport;
import dev.braid.common.report.TrainingChoices;
import dev.braid.common.blob.BlobStore;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;
import dev.braid.model.Checkpoint;
import dev.braid.model.EpochSummary;
import dev.braid.model.Example;
import dev.braid.model.Metrics;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.TrainingCancelledException;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.model.TrainingResult;
import dev.braid.training.job.JobPrivacy;
import dev.braid.training.job.JobRepository;
import dev.braid.training.job.PrivacySettlement;
import dev.braid.training.job.JobStatus;
import dev.braid.training.job.TrainingJob;
import dev.braid.common.internalapi.DatasetRecordsApi.DatasetSummary;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.training.remote.DatasetClient;
import dev.braid.training.remote.InferenceClient;
import dev.braid.training.remote.PrivacyClient;

/**
 * Runs one claimed job as its tenant: fetches the records from the dataset service, carries on
 * from the job's last checkpoint if it has one, trains (checkpointing every epoch, sealed with
 * the dataset's key), charges a private job's ε, stores the sealed artifact and registers the
 * model version. The model id is derived from the job id, so a job re-run after a crash writes
 * the same artifact and registers the same, single version.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final DatasetClient datasets;
    private final InferenceClient inference;
    private final PrivacyClient privacy;
    private final PrivacySettlement ledger;
    private final BlobStore blobs;

    JobRunner(JobRepository jobs, DatasetClient datasets, InferenceClient inference, PrivacyClient privacy,
            PrivacySettlement ledger, BlobStore blobs) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.datasets = datasets;
        this.inference = inference;
        this.privacy = privacy;
        this.blobs = blobs;
    }

    /** The running job as the worker sees it: set to stop by the heartbeat (cancel asked, or lease lost). */
    static final class Control {

        private final TrainingJob job;
        private final String worker;
        private volatile boolean stop;
        private volatile boolean cancelled;

        Control(TrainingJob job, String worker) {
            this.job = job;
            this.worker = worker;
        }

        TrainingJob job() {
            return job;
        }

        void stop(boolean cancel) {
            this.cancelled = cancel;
            this.stop = true;
        }
    }

    /** Runs the attempt; returns the status it left the job in (QUEUED when requeued, RUNNING when another worker has it). */
    JobStatus run(Control control) {
        TrainingJob job = control.job();
        Caller caller = new Caller(job.tenant(), Role.MEMBER, "training-job/" + job.id(), null, Instant.now().plusSeconds(60));
        JobStatus[] outcome = {JobStatus.RUNNING};
        CallerContext.runAs(caller, () -> outcome[0] = execute(control));
        return outcome[0];
    }

    private JobStatus execute(Control control) {
        TrainingJob job = control.job();
        log.info("Running training job {} (attempt {} of {})", job.id(), job.attempt(), job.maxAttempts());
        if (job.cancelRequested()) {
            ledger.settle(job, null);
            jobs.finish(job.id(), control.worker, JobStatus.CANCELLED, null);
            return JobStatus.CANCELLED;
        }
        if (job.attempt() > job.maxAttempts()) {
            ledger.settle(job, null);
            jobs.finish(job.id(), control.worker, JobStatus.FAILED, "gave up after " + job.maxAttempts() + " attempts"
                    + (job.error() == null ? "" : "; last error: " + job.error()));
            return JobStatus.FAILED;
        }
        try {
            DatasetSummary dataset = datasets.dataset(job.datasetId());
            List<Example> examples = examples(dataset, job.datasetId());
            Checkpoint resume = resumePoint(job);
            TrainingResult result = new MultimodalTrainer().train(examples, dataset.labels(), options(job), listener(control),
                    resume);
            UUID modelId = UUID.nameUUIDFromBytes(("braid-model:" + job.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JobMetrics metrics = metrics(result, dataset.labels());
            if (job.isPrivate()) {
                // the model is only released once what it cost is on the ledger
                PrivacyReport report = ledger.charge(job, result.privacy().steps(), result.privacy().selectionNoiseMultiplier() != null,
                        result.privacy().alphaMethod(), result.privacy().textStart());
                jobs.privacyReport(job.id(), report);
                metrics = metrics.withPrivacy(report);
            }
            String key = ModelArtifacts.key(job.tenant(), modelId);
            blobs.put(key, privacy.keys().seal(job.datasetId(), ModelArtifacts.sealingContext(modelId), result.artifact().toBytes()));
            UUID registered = inference.registerModel(modelId, job.datasetId(), job.id(), dataset.labels(), metrics, key);
            if (jobs.succeed(job.id(), control.worker, metrics, registered)) {
                log.info("Training job {} succeeded: model {}", job.id(), registered);
                return JobStatus.SUCCEEDED;
            }
            return JobStatus.RUNNING;
        }
        catch (TrainingCancelledException ex) {
            if (control.cancelled) {
                ledger.settle(job, ex.step());
                jobs.finish(job.id(), control.worker, JobStatus.CANCELLED, null);
                log.info("Training job {} cancelled", job.id());
                return JobStatus.CANCELLED;
            }
            return JobStatus.RUNNING;
        }
        catch (ServiceUnavailable ex) {
            // another service is down or restarting: worth another attempt, unlike the problems below
            return retryOrFail(control, ex.getMessage(), ex);
        }
        catch (ApiException | IllegalArgumentException ex) {
            ledger.settle(job, null);
            jobs.finish(job.id(), control.worker, JobStatus.FAILED, ex.getMessage());
            log.warn("Training job {} failed: {}", job.id(), ex.getMessage());
            return JobStatus.FAILED;
        }
        catch (IOException | RuntimeException ex) {
            return retryOrFail(control, ex.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
        }
    }

    /** Queues the job again for a failure another attempt may not hit; FAILED once its attempts are used up. */
    private JobStatus retryOrFail(Control control, String reason, Exception ex) {
        TrainingJob job = control.job();
        if (job.attempt() < job.maxAttempts()) {
            jobs.requeue(job.id(), control.worker, reason);
            log.warn("Training job {} attempt {} failed, queued again: {}", job.id(), job.attempt(), reason, ex);
            return JobStatus.QUEUED;
        }
        else {
            ledger.settle(job, null);
            jobs.finish(job.id(), control.worker, JobStatus.FAILED, reason);
            log.error("Training job {} failed after {} attempts: {}", job.id(), job.attempt(), reason, ex);
            return JobStatus.FAILED;
        }
    }

    /** The trainer's options for a job: what it asked for, and the defaults for what it left out. */
    static TrainingOptions options(TrainingJob job) {
        JobPrivacy p = job.privacy();
        TrainingOptions.Privacy privacy = p == null ? null : new TrainingOptions.Privacy(p.noiseMultiplier(), p.maxGradNorm(),
                p.sampleRate(), p.stepsPerEpoch(), p.alpha(), p.selectionNoiseMultiplier() == null ? 0 : p.selectionNoiseMultiplier());
        double text = job.learningRate() != null ? job.learningRate()
                : privacy != null ? TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE : TrainingOptions.DEFAULT_TEXT_LEARNING_RATE;
        double image = job.learningRate() != null ? job.learningRate() : TrainingOptions.DEFAULT_IMAGE_LEARNING_RATE;
        return new TrainingOptions(job.epochs(), job.batchSize(), text, image, privacy == null ? TrainingOptions.DEFAULT_PATIENCE : 0,
                job.seed(), privacy, job.trainText(), job.trainImage(),
                job.trainText() ? TrainingOptions.fineTuning(job.fineTuneText(), privacy != null) : null,
                Boolean.TRUE.equals(job.balanceClasses()));
    }

    /** The job's last checkpoint, opened with its dataset's key; none on a first attempt. */
    private Checkpoint resumePoint(TrainingJob job) throws IOException {
        Optional<JobRepository.StoredCheckpoint> stored = jobs.checkpoint(job.id());
        if (stored.isEmpty()) {
            return null;
        }
        Checkpoint checkpoint = Checkpoint.fromBytes(privacy.keys().open(job.datasetId(), "checkpoint/" + job.id(), stored.get().sealed()));
        jobs.event(job.id(), "resumed", Map.of("epoch", checkpoint.epoch(), "step", checkpoint.step(), "attempt", job.attempt()));
        log.info("Training job {} resumes after epoch {} (step {})", job.id(), checkpoint.epoch(), checkpoint.step());
        return checkpoint;
    }

    private TrainingListener listener(Control control) {
        TrainingJob job = control.job;
        return new TrainingListener() {
            private long lastWrite;

            @Override
            public void onStep(int epoch, long step, long steps) {
                long now = System.nanoTime();
                if (now - lastWrite > 1_000_000_000L || step == steps) {
                    lastWrite = now;
                    if (!jobs.progress(job.id(), control.worker, epoch, (int) step, (int) steps)) {
                        control.stop(false);
                    }
                }
            }

            @Override
            public void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
                jobs.progress(job.id(), control.worker, summary.epoch(), (int) step, (int) steps);
                Map<String, Object> event = summary(summary);
                event.put("epochs", epochs);
                event.put("step", step);
                event.put("steps", steps);
                jobs.event(job.id(), "epoch", event);
            }

            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                byte[] sealed = privacy.keys().seal(job.datasetId(), "checkpoint/" + job.id(), checkpoint.toBytes());
                if (!jobs.saveCheckpoint(job.id(), control.worker, checkpoint.epoch(), checkpoint.step(), checkpoint.privateSteps(),
                        sealed)) {
                    control.stop(false);
                }
            }

            @Override
            public boolean cancelRequested() {
                return control.stop;
            }
        };
    }

    /**
     * The dataset's records as training examples, converted as they stream in: each image is
     * decoded and at once scaled to the network's input size, so a job holds about 16 KB per image
     * whatever size the originals are.
     */
    private List<Example> examples(DatasetSummary dataset, UUID datasetId) {
        List<Example> examples = new ArrayList<>();
        datasets.records(datasetId, r -> {
            int label = dataset.labels().indexOf(r.label());
            String text = r.text() == null || r.text().isBlank() ? null : r.text();
            BufferedImage image = null;
            if (r.imageBase64() != null) {
                try {
                    BufferedImage original = ImageIO.read(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(r.imageBase64())));
                    image = original == null ? null : Example.scaled(original);
                }
                catch (IOException ex) {
                    image = null; // checked at ingestion; a record whose image no longer decodes trains on its text
                }
            }
            if (label >= 0 && (text != null || image != null)) {
                examples.add(new Example(text, image, label, Example.Split.valueOf(r.split().toUpperCase(java.util.Locale.ROOT))));
            }
        });
        return examples;
    }

    private static JobMetrics metrics(TrainingResult result, List<String> labels) {
        return new JobMetrics(metric(result.text(), labels), metric(result.image(), labels), metric(result.fused(), labels),
                result.alpha(), training(result.schedule(), labels), null);
    }

    /**
     * What the trainer chose (epochs run, batch size, each branch's learning rate and kept epoch,
     * the text encoder's fine-tuned layers, the frozen text head's refit) and the curve it chose from.
     */
    private static TrainingChoices training(TrainingResult.Schedule schedule, List<String> labels) {
        Map<String, Double> weights = null;
        if (schedule.classWeights() != null) {
            weights = new LinkedHashMap<>();
            for (int c = 0; c < labels.size(); c++) {
                weights.put(labels.get(c), schedule.classWeights().get(c));
            }
        }
        TrainingResult.FineTuned tuned = schedule.fineTuning();
        TrainingResult.Refit refit = schedule.textRefit();
        return new TrainingChoices(schedule.epochs(), schedule.batchSize(), schedule.textLearningRate(),
                schedule.imageLearningRate(), schedule.textEpoch(), schedule.imageEpoch(),
                tuned == null ? null : new TrainingChoices.FineTuning(tuned.layers(), tuned.rank(), tuned.learningRate()),
                refit == null ? null : new TrainingChoices.TextRefit(refit.epochs(), refit.records()), weights,
                schedule.curve().stream().map(e -> new TrainingChoices.EpochPoint(e.epoch(), e.trainLoss(), e.validationAccuracy(),
                        e.textValidationLoss(), e.imageValidationLoss())).toList());
    }

    /** An epoch's summary as its event shows it. */
    private static Map<String, Object> summary(EpochSummary e) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epoch", e.epoch());
        summary.put("loss", e.trainLoss());
        summary.put("validationAccuracy", e.validationAccuracy());
        putIfPresent(summary, "textValidationLoss", e.textValidationLoss());
        putIfPresent(summary, "imageValidationLoss", e.imageValidationLoss());
        return summary;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * One branch's test metrics: accuracy with its 95 % (Wilson) interval, macro-F1, per-class
     * precision, recall and support, and the confusion matrix as its non-zero cells (actual label,
     * predicted label, count), so its size is bounded by the test split, not by labels².
     */
    private static BranchMetrics metric(Metrics m, List<String> labels) {
        Map<String, BranchMetrics.ClassMetrics> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            perClass.put(labels.get(c), new BranchMetrics.ClassMetrics(m.precision(c), m.recall(c), m.support(c)));
        }
        List<BranchMetrics.ConfusionCell> cells = new ArrayList<>();
        for (int actual = 0; actual < labels.size(); actual++) {
            for (int predicted = 0; predicted < labels.size(); predicted++) {
                if (m.confusion()[actual][predicted] > 0) {
                    cells.add(new BranchMetrics.ConfusionCell(labels.get(actual), labels.get(predicted),
                            m.confusion()[actual][predicted]));
                }
            }
        }
        double[] interval = m.accuracyInterval95();
        return new BranchMetrics(m.accuracy(), List.of(interval[0], interval[1]), m.macroF1(), m.examples(), perClass, cells);
    }
}
