package dev.braid.training.job;

/**
 * A private job's DP-SGD settings, fixed when it is submitted because its ε was reserved for
 * exactly these: Poisson sampling rate q = batch / train records, {@code stepsPerEpoch} = ⌈1/q⌉,
 * noise σ and clipping bound C, and either a given α or the noise of its private choice;
 * {@code targetEpsilon} when σ was found for it rather than given.
 */
public record JobPrivacy(double noiseMultiplier, double maxGradNorm, double sampleRate, int stepsPerEpoch, long steps,
        Double alpha, Double selectionNoiseMultiplier, double plannedEpsilon, double delta, Double targetEpsilon) {
}
