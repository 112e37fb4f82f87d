package dev.braid.privacy.accountant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * Rényi differential privacy of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar &amp;
 * Zhang 2019), composed over mechanisms by adding RDP curves, and converted to (ε, δ) with the
 * bound of Balle et al. 2020, the conversion Opacus uses. Pure functions; everything in log space.
 */
public final class RdpAccountant {

    /** 1.1, 1.2, …, 10.9 and 12, 13, …, 63, as Opacus. */
    public static final List<Double> DEFAULT_ORDERS = defaultOrders();

    /** One mechanism applied {@code steps} times: sampling rate q and noise multiplier σ. */
    public record Mechanism(double sampleRate, double noiseMultiplier, long steps) {
    }

    /** The smallest ε over the orders, and the order that gave it. */
    public record Epsilon(double epsilon, double order) {
    }

    private RdpAccountant() {
    }

    /** ε for the composition of the mechanisms at δ, over the given orders. */
    public static Epsilon epsilon(List<Mechanism> mechanisms, double delta, List<Double> orders) {
        return epsilon(mechanisms, delta, orders, Work.unbounded());
    }

    /** The same, charging each series term to {@code work}. */
    public static Epsilon epsilon(List<Mechanism> mechanisms, double delta, List<Double> orders, Work work) {
        return toEpsilon(rdp(mechanisms, orders, work), orders, delta);
    }

    /** The composed RDP curve: for each order, the sum over mechanisms of steps × RDP of one step. */
    public static double[] rdp(List<Mechanism> mechanisms, List<Double> orders) {
        return rdp(mechanisms, orders, Work.unbounded());
    }

    /** The same, charging each series term to {@code work}. */
    public static double[] rdp(List<Mechanism> mechanisms, List<Double> orders, Work work) {
        // mechanisms with the same q and σ share one series per order: their steps simply add
        Map<List<Double>, Long> steps = new LinkedHashMap<>();
        for (Mechanism m : mechanisms) {
            if (m.steps() > 0) {
                steps.merge(List.of(m.sampleRate(), m.noiseMultiplier()), m.steps(), Long::sum);
            }
        }
        double[] total = new double[orders.size()];
        steps.forEach((mechanism, count) -> {
            for (int i = 0; i < total.length; i++) {
                total[i] += rdpOfOneStep(mechanism.get(0), mechanism.get(1), orders.get(i), work) * count;
            }
        });
        return total;
    }

    /**
     * RDP at order α of one step of the sampled Gaussian mechanism: always in [0, +∞]. RDP is
     * non-negative by definition, so a rounding residue below zero is 0; a value the series cannot
     * give (a NaN, a subtraction that would go negative, a clearly negative sum) is +∞, meaning "no
     * guarantee at this order", which can only make a budget stricter, never looser.
     */
    static double rdpOfOneStep(double q, double sigma, double alpha, Work work) {
        if (q == 0) {
            return 0;
        }
        if (sigma == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * sigma * sigma);
        }
        if (Double.isInfinite(alpha)) {
            return Double.POSITIVE_INFINITY;
        }
        double rdp;
        try {
            double logA = alpha == Math.rint(alpha) ? logAIntegerOrder(q, sigma, (int) alpha, work)
                    : logAFractionalOrder(q, sigma, alpha, work);
            rdp = logA / (alpha - 1);
        }
        catch (ArithmeticException e) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isNaN(rdp) || rdp < -ROUNDING) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(rdp, 0);
    }

    /** How far below zero a per-order RDP may come out of the log-space sums by rounding alone. */
    private static final double ROUNDING = 1e-12;

    /**
     * Whether a curve is one the ledger may compose: every per-order value finite and ≥ 0. A
     * negative value would let later spending hide behind it; an infinite or NaN one says nothing.
     */
    public static boolean isComposable(double[] curve) {
        for (double v : curve) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                return false;
            }
        }
        return curve.length > 0;
    }

    /** log A_α for integer α: the binomial sum Σ C(α,i) q^i (1-q)^{α-i} exp((i²-i)/(2σ²)). */
    static double logAIntegerOrder(double q, double sigma, int alpha, Work work) {
        work.charge(alpha + 1L);
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0; // log C(α, i), carried from i - 1 so that an order costs α + 1 terms
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinomial += Math.log((double) (alpha - i + 1) / i);
            }
            double term = logBinomial + i * Math.log(q) + (alpha - i) * Math.log1p(-q)
                    + (i * (double) i - i) / (2 * sigma * sigma);
            logA = LogMath.logAdd(logA, term);
        }
        return logA;
    }

    /** Terms one fractional order's series may sum; it bounds the work of one order of one mechanism. */
    static final int MAX_SERIES_TERMS = 20_000;

    /**
     * log A_α for fractional α: the two series with generalized binomial coefficients, whose
     * signs alternate past α, summed until their terms drop below e^-30, as Opacus (the tail left off is
     * under 10⁻¹² of RDP per step, measured against the integral). Below q = 0.1 that takes
     * at most a few thousand terms; a series still going after {@link #MAX_SERIES_TERMS} (large q
     * with a very large σ) gives no guarantee at this order, and the integer orders still do.
     */
    static double logAFractionalOrder(double q, double sigma, double alpha, Work work) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double coefficient = 1; // C(α, 0)
        for (int i = 0; i < MAX_SERIES_TERMS; i++) {
            if (i > 0) {
                coefficient *= (alpha - (i - 1)) / i;
            }
            double logCoefficient = Math.log(Math.abs(coefficient));
            double j = alpha - i;
            double logT0 = logCoefficient + i * Math.log(q) + j * Math.log1p(-q);
            double logT1 = logCoefficient + j * Math.log(q) + i * Math.log1p(-q);
            double logE0 = Math.log(0.5) + LogMath.logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + LogMath.logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (coefficient > 0) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            }
            else {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                work.charge(i + 1L);
                return LogMath.logAdd(logA0, logA1);
            }
        }
        work.charge(MAX_SERIES_TERMS);
        return Double.POSITIVE_INFINITY; // did not converge: no finite guarantee at this order
    }

    /**
     * Balle et al. 2020 (Opacus's {@code get_privacy_spent}):
     * ε(α) = RDP(α) - (log δ + log α)/(α-1) + log((α-1)/α), minimised over the orders.
     */
    public static Epsilon toEpsilon(double[] rdp, List<Double> orders, double delta) {
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int i = 0; i < rdp.length; i++) {
            double alpha = orders.get(i);
            double eps = rdp[i] - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
            if (!Double.isNaN(eps) && (eps < best || Double.isNaN(bestOrder))) {
                best = eps;
                bestOrder = alpha;
            }
        }
        // The conversion can dip below 0 at a large order or a large δ; (ε, δ)-DP with ε < 0 implies
        // (0, δ)-DP, and a negative ε is no budget to hand back.
        return new Epsilon(Math.max(best, 0), bestOrder);
    }

    /** The result of a noise-multiplier search: σ and the ε it gives. */
    public record Noise(double noiseMultiplier, double epsilon) {
    }

    /** Above this σ the search gives up: the budget is too small for any useful noise. */
    static final double MAX_SIGMA = 1e6;

    /**
     * Bisection steps a search may take. From [0, 10⁶] that narrows σ to 10⁻²⁴, far below any
     * tolerance; the cap only bounds the work of a request whose tolerance cannot be met in doubles.
     */
    static final int MAX_BISECTIONS = 100;

    /**
     * The smallest σ (within the tolerance on ε) whose ε at δ is at most the target, searched as
     * Opacus's {@code get_noise_multiplier}: double σ until ε fits, then bisect until the ε gap is
     * under the tolerance or {@link #MAX_BISECTIONS} is reached, returning the upper end, which always
     * fits. Empty when even σ = 10⁶ does not fit.
     */
    public static Optional<Noise> noiseMultiplier(double targetEpsilon, double delta, double q, long steps,
            double tolerance, List<Double> orders) {
        return noiseMultiplier(targetEpsilon, delta, q, steps, tolerance, orders, List.of(), Work.unbounded());
    }

    /**
     * The same search with other mechanisms composed alongside (a job's noisy choice of its
     * fusion weight, say): the σ found makes the whole composition fit the target. Their curve is
     * summed once: only the searched mechanism's changes from one evaluation to the next. Every
     * series term is charged to {@code work}.
     */
    public static Optional<Noise> noiseMultiplier(double targetEpsilon, double delta, double q, long steps,
            double tolerance, List<Double> orders, List<Mechanism> alongside, Work work) {
        double[] fixed = rdp(alongside, orders, work);
        if (q == 0 || steps == 0) {
            double epsilon = alongside.isEmpty() ? 0 : toEpsilon(fixed, orders, delta).epsilon();
            return epsilon <= targetEpsilon ? Optional.of(new Noise(0, epsilon)) : Optional.empty();
        }
        DoubleUnaryOperator epsilonAt = sigma -> {
            double[] curve = rdp(List.of(new Mechanism(q, sigma, steps)), orders, work);
            for (int i = 0; i < curve.length; i++) {
                curve[i] = fixed[i] + curve[i];
            }
            return toEpsilon(curve, orders, delta).epsilon();
        };
        double sigmaLow = 0;
        double sigmaHigh = 10;
        double epsHigh = Double.POSITIVE_INFINITY;
        while (epsHigh > targetEpsilon) {
            sigmaHigh *= 2;
            if (sigmaHigh > MAX_SIGMA) {
                return Optional.empty();
            }
            epsHigh = epsilonAt.applyAsDouble(sigmaHigh);
        }
        for (int i = 0; i < MAX_BISECTIONS && targetEpsilon - epsHigh > tolerance; i++) {
            double sigma = (sigmaLow + sigmaHigh) / 2;
            double eps = epsilonAt.applyAsDouble(sigma);
            if (eps <= targetEpsilon) {
                sigmaHigh = sigma;
                epsHigh = eps;
            }
            else {
                sigmaLow = sigma;
            }
        }
        return Optional.of(new Noise(sigmaHigh, epsHigh));
    }

    private static List<Double> defaultOrders() {
        List<Double> orders = new ArrayList<>();
        for (int x = 1; x < 100; x++) {
            orders.add(1 + x / 10.0);
        }
        for (int a = 12; a < 64; a++) {
            orders.add((double) a);
        }
        return List.copyOf(orders);
    }
}
