package dev.braid.training.job;

/**
 * A private job's DP-SGD settings, fixed when it is submitted because its ε was reserved for
 * exactly these: Poisson sampling rate q = batch / the records it trains on, {@code stepsPerEpoch}
 * = ⌈1/q⌉, noise σ and clipping bound C, and either a given α or the noise of its private choice;
 * {@code targetEpsilon} when σ was found for it rather than given. {@code metricsNoiseMultiplier}:
 * the noise of its test metrics' release (null, for a job submitted before metrics were released
 * so: it releases none). {@code trainsOnValidation}: it trains on the validation split too, having
 * no α to choose there (null: submitted before, it does not).
 */
public record JobPrivacy(double noiseMultiplier, double maxGradNorm, double sampleRate, int stepsPerEpoch, long steps,
        Double alpha, Double selectionNoiseMultiplier, double plannedEpsilon, double delta, Double targetEpsilon,
        Double metricsNoiseMultiplier, Boolean trainsOnValidation) {

    /**
     * The one Gaussian mechanism (rate 1, one step) that the job's releases after training add up to, as its ledger
     * entry holds them: the noisy choice of α and the noisy test metrics. Gaussian mechanisms compose in RDP as one
     * with 1/σ² = Σ 1/σᵢ², exactly. Null when there are none.
     */
    static Double releases(Double selectionNoiseMultiplier, Double metricsNoiseMultiplier) {
        double precision = 0;
        for (Double sigma : new Double[] {selectionNoiseMultiplier, metricsNoiseMultiplier}) {
            if (sigma != null && sigma > 0) {
                precision += 1 / (sigma * sigma);
            }
        }
        return precision == 0 ? null : 1 / Math.sqrt(precision);
    }

    /** This job's releases as one mechanism; see {@link #releases(Double, Double)}. */
    Double releases() {
        return releases(selectionNoiseMultiplier, metricsNoiseMultiplier);
    }
}
