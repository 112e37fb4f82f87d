package dev.braid.training.job;

import java.io.IOException;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.braid.model.Checkpoint;
import dev.braid.model.EpochSummary;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.model.TrainingResult;
import dev.braid.training.TrainingProperties;

/**
 * The pipeline's training stage: the job's options (what it asked for, the defaults for the rest), the fused model
 * trained with DJL from the job's last checkpoint if it has one, its progress and epochs reported as they happen, a
 * checkpoint stored every epoch, and a stop at the next step once the attempt is told to stop.
 */
@Component
class TrainModel {

    private final CheckpointStore checkpoints;
    private final JobRepository jobs;
    private final TrainingProperties.Jobs defaults;

    TrainModel(CheckpointStore checkpoints, JobRepository jobs, TrainingProperties properties) {
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.defaults = properties.jobs();
    }

    TrainingResult train(Attempt attempt, LoadExamples.Loaded data) throws IOException {
        TrainingJob job = attempt.job();
        Checkpoint resume = checkpoints.resumePoint(job);
        return new MultimodalTrainer().train(data.examples(), data.dataset().labels(), options(job, defaults), progress(attempt),
                resume);
    }

    /** The trainer's options for a job: what it asked for, and the defaults for what it left out. */
    static TrainingOptions options(TrainingJob job, TrainingProperties.Jobs defaults) {
        JobPrivacy p = job.privacy();
        TrainingOptions.Privacy privacy = p == null ? null : new TrainingOptions.Privacy(p.noiseMultiplier(), p.maxGradNorm(),
                p.sampleRate(), p.stepsPerEpoch(), p.alpha(), p.selectionNoiseMultiplier() == null ? 0 : p.selectionNoiseMultiplier(),
                p.metricsNoiseMultiplier() == null ? 0 : p.metricsNoiseMultiplier(), Boolean.TRUE.equals(p.trainsOnValidation()));
        double text = job.learningRate() != null ? job.learningRate()
                : privacy != null ? defaults.privateTextLearningRate() : defaults.textLearningRate();
        double image = job.learningRate() != null ? job.learningRate() : defaults.imageLearningRate();
        return new TrainingOptions(job.epochs(), job.batchSize(), text, image, privacy == null ? defaults.patience() : 0,
                job.seed(), privacy, job.trainText(), job.trainImage(),
                job.trainText() ? TrainingOptions.fineTuning(job.fineTuneText(), privacy != null) : null,
                Boolean.TRUE.equals(job.balanceClasses()));
    }

    TrainingListener progress(Attempt attempt) {
        TrainingJob job = attempt.job();
        return new TrainingListener() {
            private long lastWrite;
            private boolean checkpointed;

            @Override
            public void onStep(int epoch, long step, long steps) {
                long now = System.nanoTime();
                if (now - lastWrite > 1_000_000_000L || step == steps) {
                    lastWrite = now;
                    if (!jobs.progress(job.id(), attempt.worker(), epoch, (int) step, (int) steps)) {
                        attempt.stop(false);
                    }
                }
            }

            @Override
            public void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
                if (!checkpointed) {
                    return; // its checkpoint (the private steps it ran) is not on record: report nothing of it
                }
                jobs.progress(job.id(), attempt.worker(), summary.epoch(), (int) step, (int) steps);
                Map<String, Object> event = RunReports.summary(summary);
                event.put("epochs", epochs);
                event.put("step", step);
                event.put("steps", steps);
                jobs.event(job.id(), "epoch", event);
            }

            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                checkpointed = checkpoints.save(attempt, checkpoint);
                if (!checkpointed) {
                    attempt.stop(false);
                }
            }

            @Override
            public boolean cancelRequested() {
                return attempt.stopRequested();
            }
        };
    }
}
