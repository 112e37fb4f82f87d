package dev.braid.model;

/**
 * What a finished run produced: the artifact to store, its test-split metrics per modality and
 * fused, the fitted α and, for a private run, what was spent and how α was chosen.
 */
public record TrainingResult(ModelArtifact artifact, Metrics text, Metrics image, Metrics fused, double alpha,
        PrivacySpent privacy) {

    /**
     * The mechanisms a private run ran on the data: {@code steps} DP-SGD steps at {@code sampleRate}
     * and {@code noiseMultiplier}, and, when α was chosen from the data, one Gaussian report-noisy-max
     * with {@code selectionNoiseMultiplier} (null when α was given). Temperatures are not fitted
     * under DP (they would be one more unaccounted statistic), so both are 1.
     */
    public record PrivacySpent(long steps, double sampleRate, double noiseMultiplier, Double selectionNoiseMultiplier,
            String alphaMethod) {
    }
}
