package dev.braid.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.braid.model.TrainingOptions;
import dev.braid.privacy.accountant.RdpAccountant;
import dev.braid.privacy.accountant.Work;

/**
 * A private job's plan at a target ε, worked out as the training service works it out at submit (with the privacy
 * service's own accountant, called in process): q = expected batch / the records trained on (train, and validation when
 * the job has no α to choose there), ⌈1/q⌉ steps an epoch, σ the smallest whose whole plan fits the target, the test
 * metrics' release included at the default noise multiplier (5) when that raises σ by at most a tenth
 * ({@code JobService.noise}), at 2×, 4×, … 16× it otherwise, else none. δ = 1e-5, as the benchmarks' budgets.
 */
record PrivatePlan(double sampleRate, int stepsPerEpoch, double noiseMultiplier, double metricsNoiseMultiplier,
        boolean trainsOnValidation) {

    static final double DELTA = 1e-5;
    private static final double DEFAULT_METRICS_NOISE = 5.0;

    static PrivatePlan forTarget(double epsilon, int records, int batch, int epochs, boolean trainsOnValidation, boolean releasesMetrics) {
        double q = Math.min(1.0, (double) batch / records);
        int stepsPerEpoch = (int) Math.ceil(1 / q);
        long steps = (long) stepsPerEpoch * epochs;
        double without = sigma(epsilon, q, steps, List.of()).orElseThrow();
        if (!releasesMetrics) {
            return new PrivatePlan(q, stepsPerEpoch, without, 0, trainsOnValidation);
        }
        for (double metrics = DEFAULT_METRICS_NOISE; metrics <= 16 * DEFAULT_METRICS_NOISE; metrics *= 2) {
            Optional<Double> with = sigma(epsilon, q, steps, List.of(new RdpAccountant.Mechanism(1, metrics, 1)));
            if (with.isPresent() && with.get() <= 1.1 * without) {
                return new PrivatePlan(q, stepsPerEpoch, with.get(), metrics, trainsOnValidation);
            }
        }
        return new PrivatePlan(q, stepsPerEpoch, without, 0, trainsOnValidation);
    }

    private static Optional<Double> sigma(double epsilon, double q, long steps, List<RdpAccountant.Mechanism> alongside) {
        return RdpAccountant.noiseMultiplier(epsilon, DELTA, q, steps, Math.max(1e-6, epsilon * 1e-3), RdpAccountant.DEFAULT_ORDERS,
                alongside, Work.unbounded()).map(RdpAccountant.Noise::noiseMultiplier);
    }

    TrainingOptions.Privacy privacy(double maxGradNorm) {
        return new TrainingOptions.Privacy(noiseMultiplier, maxGradNorm, sampleRate, stepsPerEpoch, null, 0, metricsNoiseMultiplier,
                trainsOnValidation);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "q %.4f, sigma %.4f, metrics noise %s%s", sampleRate, noiseMultiplier,
                metricsNoiseMultiplier == 0 ? "none" : metricsNoiseMultiplier, trainsOnValidation ? ", train + validation" : ", train");
    }
}
