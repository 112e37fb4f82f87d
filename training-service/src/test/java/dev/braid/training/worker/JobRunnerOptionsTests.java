package dev.braid.training.worker;

import java.time.Instant;
import java.util.UUID;

import dev.braid.model.MiniLm;
import dev.braid.model.TrainingOptions;
import dev.braid.training.job.JobPrivacy;
import dev.braid.training.job.JobStatus;
import dev.braid.training.job.TrainingJob;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the trainer is told for a stored job: the job's own settings, and the defaults for what it left out. */
class JobRunnerOptionsTests {

    private static final JobPrivacy PRIVATE = new JobPrivacy(1.2, 1.0, 0.2, 5, 150, null, null, 3.0, 1e-5, 3.0);

    private static TrainingJob job(JobPrivacy privacy, boolean text, boolean image, Boolean fineTuneText) {
        return job(privacy, text, image, fineTuneText, null);
    }

    private static TrainingJob job(JobPrivacy privacy, boolean text, boolean image, Boolean fineTuneText, Boolean balanceClasses) {
        return new TrainingJob(UUID.randomUUID(), "acme", UUID.randomUUID(), JobStatus.RUNNING, 30, 256, null, 7, 0, 0, 0, null, null,
                null, 1, 3, false, Instant.now(), Instant.now(), null, privacy, null, text, image, fineTuneText, balanceClasses);
    }

    @Test
    void shouldBalanceClassesOnlyWhenAJobAsks() {
        assertThat(JobRunner.options(job(null, true, true, null, true)).balancedClasses()).isTrue();
        assertThat(JobRunner.options(job(null, true, true, null, false)).balancedClasses()).isFalse();
        assertThat(JobRunner.options(job(null, true, true, null, null)).balancedClasses()).as("left out").isFalse();
    }

    @Test
    void shouldFineTuneWithinTheBudgetWhenAJobLeavesItToTheTrainer() {
        TrainingOptions options = JobRunner.options(job(null, true, true, null));

        assertThat(options.fineTuning()).isEqualTo(new TrainingOptions.FineTuning(MiniLm.LAYERS,
                TrainingOptions.DEFAULT_FINE_TUNING_LEARNING_RATE, TrainingOptions.DEFAULT_FINE_TUNING_BUDGET));
        assertThat(options.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_TEXT_LEARNING_RATE);
        assertThat(options.patience()).isEqualTo(TrainingOptions.DEFAULT_PATIENCE);
    }

    @Test
    void shouldKeepTheEncoderFrozenForAnImageModelARefusalAndAPrivateDefault() {
        assertThat(JobRunner.options(job(null, false, true, null)).fineTuning()).as("no text branch to fine-tune").isNull();
        assertThat(JobRunner.options(job(null, true, true, false)).fineTuning()).as("refused").isNull();
        TrainingOptions privateDefault = JobRunner.options(job(PRIVATE, true, false, null));
        assertThat(privateDefault.fineTuning()).as("a private job's default").isNull();
        assertThat(privateDefault.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE);
        assertThat(privateDefault.patience()).as("a private job runs every epoch it planned").isZero();
    }

    @Test
    void shouldFineTuneEveryLayerWhenAPrivateJobAsks() {
        TrainingOptions options = JobRunner.options(job(PRIVATE, true, false, true));

        assertThat(options.fineTuning()).isEqualTo(new TrainingOptions.FineTuning(MiniLm.LAYERS,
                TrainingOptions.DEFAULT_PRIVATE_FINE_TUNING_LEARNING_RATE, 0));
        assertThat(options.privacy().noiseMultiplier()).isEqualTo(1.2);
    }
}
