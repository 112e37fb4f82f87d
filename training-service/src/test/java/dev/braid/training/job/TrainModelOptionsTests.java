package dev.braid.training.job;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.braid.model.MiniLm;
import dev.braid.model.TrainingOptions;
import dev.braid.training.TrainingProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the trainer is told for a stored job: the job's own settings, and for what it left out the defaults of
 * {@code braid.training.jobs}, bound as the service binds them.
 */
class TrainModelOptionsTests {

    private static final TrainingProperties.Jobs DEFAULTS = bind(Map.of()).jobs();

    private static final JobPrivacy PRIVATE = new JobPrivacy(1.2, 1.0, 0.2, 5, 150, null, null, 3.0, 1e-5, 3.0, 5.0, true);

    private static TrainingJob job(JobPrivacy privacy, boolean text, boolean image, Boolean fineTuneText) {
        return job(privacy, text, image, fineTuneText, null);
    }

    private static TrainingJob job(JobPrivacy privacy, boolean text, boolean image, Boolean fineTuneText, Boolean balanceClasses) {
        return new TrainingJob(UUID.randomUUID(), "acme", UUID.randomUUID(), JobStatus.RUNNING, 30, 256, null, 7, 0, 0, 0, null, null,
                null, 1, 3, false, Instant.now(), Instant.now(), null, privacy, null, text, image, fineTuneText, balanceClasses);
    }

    @Test
    void shouldBalanceClassesOnlyWhenAJobAsks() {
        assertThat(options(job(null, true, true, null, true)).balancedClasses()).isTrue();
        assertThat(options(job(null, true, true, null, false)).balancedClasses()).isFalse();
        assertThat(options(job(null, true, true, null, null)).balancedClasses()).as("left out").isFalse();
    }

    @Test
    void shouldFineTuneWithinTheBudgetWhenAJobLeavesItToTheTrainer() {
        TrainingOptions options = options(job(null, true, true, null));

        assertThat(options.fineTuning()).isEqualTo(new TrainingOptions.FineTuning(MiniLm.LAYERS,
                TrainingOptions.DEFAULT_FINE_TUNING_LEARNING_RATE, TrainingOptions.DEFAULT_FINE_TUNING_BUDGET));
        assertThat(options.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_TEXT_LEARNING_RATE);
        assertThat(options.patience()).isEqualTo(TrainingOptions.DEFAULT_PATIENCE);
    }

    @Test
    void shouldKeepTheEncoderFrozenForAnImageModelARefusalAndAPrivateDefault() {
        assertThat(options(job(null, false, true, null)).fineTuning()).as("no text branch to fine-tune").isNull();
        assertThat(options(job(null, true, true, false)).fineTuning()).as("refused").isNull();
        TrainingOptions privateDefault = options(job(PRIVATE, true, false, null));
        assertThat(privateDefault.fineTuning()).as("a private job's default").isNull();
        assertThat(privateDefault.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE);
        assertThat(privateDefault.patience()).as("a private job runs every epoch it planned").isZero();
    }

    @Test
    void shouldFineTuneEveryLayerWhenAPrivateJobAsks() {
        TrainingOptions options = options(job(PRIVATE, true, false, true));

        assertThat(options.fineTuning()).isEqualTo(new TrainingOptions.FineTuning(MiniLm.LAYERS,
                TrainingOptions.DEFAULT_PRIVATE_FINE_TUNING_LEARNING_RATE, 0));
        assertThat(options.privacy().noiseMultiplier()).isEqualTo(1.2);
        assertThat(options.privacy().metricsNoiseMultiplier()).isEqualTo(5.0);
        assertThat(options.privacy().trainsOnValidation()).isTrue();
    }

    @Test
    void shouldReleaseNoMetricsAndKeepValidationOutForAPrivateJobSubmittedBeforeEither() {
        // a job stored before its metrics were released noisily and before it could train on validation
        JobPrivacy earlier = new JobPrivacy(1.2, 1.0, 0.2, 5, 150, null, null, 3.0, 1e-5, 3.0, null, null);
        TrainingOptions.Privacy privacy = options(job(earlier, true, false, null)).privacy();
        assertThat(privacy.metricsNoiseMultiplier()).as("its ε paid for no release of test metrics").isZero();
        assertThat(privacy.trainsOnValidation()).isFalse();
    }

    @Test
    void shouldComposeAJobsReleasesAfterTrainingIntoOneGaussianMechanism() {
        // RDP of a Gaussian mechanism is α / 2σ²: two compose as one with 1/σ² = 1/σ₁² + 1/σ₂²
        assertThat(JobPrivacy.releases(3.0, 4.0)).isCloseTo(12.0 / 5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(JobPrivacy.releases(null, 5.0)).isEqualTo(5.0);
        assertThat(JobPrivacy.releases(5.0, null)).isEqualTo(5.0);
        assertThat(JobPrivacy.releases(null, null)).isNull();
        assertThat(JobPrivacy.releases(null, 0.0)).as("0: no release").isNull();
    }

    @Test
    void shouldDefaultEveryJobSettingToTheModelsTunedDefaults() {
        assertThat(DEFAULTS.epochs()).isEqualTo(TrainingOptions.DEFAULT_MAX_EPOCHS);
        assertThat(DEFAULTS.privateEpochs()).isEqualTo(TrainingOptions.DEFAULT_PRIVATE_EPOCHS);
        assertThat(DEFAULTS.batchSize()).isEqualTo(TrainingOptions.DEFAULT_BATCH_SIZE);
        assertThat(DEFAULTS.privateBatchSize()).isEqualTo(TrainingOptions.DEFAULT_PRIVATE_BATCH_SIZE);
        assertThat(DEFAULTS.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_TEXT_LEARNING_RATE);
        assertThat(DEFAULTS.privateTextLearningRate()).isEqualTo(TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE);
        assertThat(DEFAULTS.imageLearningRate()).isEqualTo(TrainingOptions.DEFAULT_IMAGE_LEARNING_RATE);
        assertThat(DEFAULTS.patience()).isEqualTo(TrainingOptions.DEFAULT_PATIENCE);
        assertThat(DEFAULTS.noiseMultiplier()).isEqualTo(1.0);
        assertThat(DEFAULTS.maxGradNorm()).isEqualTo(1.0);
        assertThat(DEFAULTS.alphaNoiseMultiplier()).isEqualTo(5.0);
        assertThat(DEFAULTS.metricsNoiseMultiplier()).isEqualTo(5.0);
    }

    @Test
    void shouldGiveAJobTheOperatorsDefaultsForWhatItLeavesOut() {
        TrainingProperties.Jobs operators = bind(Map.of("braid.training.jobs.text-learning-rate", "0.05",
                "braid.training.jobs.image-learning-rate", "0.002", "braid.training.jobs.patience", "3")).jobs();

        TrainingOptions options = TrainModel.options(job(null, true, true, null), operators);

        assertThat(options.textLearningRate()).isEqualTo(0.05);
        assertThat(options.imageLearningRate()).isEqualTo(0.002);
        assertThat(options.patience()).isEqualTo(3);
    }

    private static TrainingOptions options(TrainingJob job) {
        return TrainModel.options(job, DEFAULTS);
    }

    private static TrainingProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("braid.training.services.dataset", "http://127.0.0.1:1",
                "braid.training.services.inference", "http://127.0.0.1:2", "braid.training.services.privacy", "http://127.0.0.1:3"));
        all.putAll(settings);
        return new Binder(new MapConfigurationPropertySource(all)).bind("braid.training", TrainingProperties.class).get();
    }
}
