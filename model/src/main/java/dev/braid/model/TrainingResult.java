package dev.braid.model;

import java.util.List;

/**
 * What a finished run produced: the artifact to store, its test-split metrics per modality and
 * fused (a private run's: a noisy release, or null when it released none), the fitted α and, for a
 * private run, what was spent and how α was chosen.
 */
public record TrainingResult(ModelArtifact artifact, Metrics text, Metrics image, Metrics fused, double alpha,
        PrivacySpent privacy, Schedule schedule) {

    /**
     * What the run chose and why: the epochs it ran, its batch size, each branch's learning rate
     * and the epoch whose weights it keeps (the best on validation under early stopping, else the
     * last), and every epoch's summary. Null for a branch the model does not have.
     * {@code fineTuning}: the text encoder's layers fine-tuned and their adapters' rank and rate;
     * null for a frozen encoder. {@code classWeights}: each label's loss weight, in the labels' order,
     * when the run balanced its classes; null when it did not. {@code textRefit}: the frozen text
     * head fit again on train and validation after early stopping chose its epochs; null when it
     * was not.
     */
    public record Schedule(int epochs, int batchSize, Double textLearningRate, Double imageLearningRate, Integer textEpoch,
            Integer imageEpoch, List<EpochSummary> curve, FineTuned fineTuning, List<Double> classWeights, Refit textRefit) {
    }

    /**
     * A head fit again from its initial weights for {@code epochs} (the epochs early stopping
     * kept) on {@code records} records, those of the train and validation splits that have its
     * modality.
     */
    public record Refit(int epochs, int records) {
    }

    /** What fine-tuning of the text encoder ran: LoRA adapters of {@code rank} on the top {@code layers} layers, at {@code learningRate}. */
    public record FineTuned(int layers, int rank, double learningRate) {
    }

    /**
     * The mechanisms a private run ran on the data: {@code steps} DP-SGD steps at {@code sampleRate}
     * and {@code noiseMultiplier}, and, when α was chosen from the data, one Gaussian report-noisy-max
     * with {@code selectionNoiseMultiplier} (null when α was given). Temperatures are not fitted
     * under DP (they would be one more unaccounted statistic), so both are 1. {@code textStart}:
     * where the text head started and why that choice costs no ε (null: the model has no text branch).
     * {@code metricsNoiseMultiplier}: the Gaussian mechanism that released the test metrics (null: none
     * were released).
     */
    public record PrivacySpent(long steps, double sampleRate, double noiseMultiplier, Double selectionNoiseMultiplier,
            String alphaMethod, String textStart, Double metricsNoiseMultiplier) {
    }
}
