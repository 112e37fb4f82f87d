package dev.braid.model;

/**
 * How to train: passes over the data, examples per step (expected examples, under DP), Adam's
 * learning rate, the seed that makes a run repeatable, and {@code privacy} for DP-SGD (null: not private).
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Privacy privacy) {

    public TrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, learningRate above 0");
        }
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed) {
        this(epochs, batchSize, learningRate, seed, null);
    }

    public boolean isPrivate() {
        return privacy != null;
    }

    /**
     * DP-SGD: each step takes every train record with probability {@code sampleRate} (Poisson
     * sampling), clips each record's gradient to {@code maxGradNorm}, adds Gaussian noise of
     * standard deviation {@code noiseMultiplier · maxGradNorm} to the sum; {@code stepsPerEpoch}
     * steps per epoch. The fusion weight is {@code alpha} when given, else chosen on the
     * validation split by report-noisy-max with Gaussian noise ({@code selectionNoiseMultiplier}),
     * one more mechanism to account for.
     */
    public record Privacy(double noiseMultiplier, double maxGradNorm, double sampleRate, int stepsPerEpoch, Double alpha,
            double selectionNoiseMultiplier) {

        public Privacy {
            if (!(noiseMultiplier > 0) || !(maxGradNorm > 0) || !(sampleRate > 0) || sampleRate > 1 || stepsPerEpoch < 1) {
                throw new IllegalArgumentException("DP-SGD needs noiseMultiplier and maxGradNorm above 0, a sample rate in (0, 1] "
                        + "and at least one step per epoch");
            }
            if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1]");
            }
            if (alpha == null && !(selectionNoiseMultiplier > 0)) {
                throw new IllegalArgumentException("choosing alpha privately needs a selection noise multiplier above 0");
            }
        }
    }
}
