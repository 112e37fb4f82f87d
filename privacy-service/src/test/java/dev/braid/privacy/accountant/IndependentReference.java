package dev.braid.privacy.accountant;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Values the accountant's tests compare against, derived without any of its code: erfc summed in
 * decimal arithmetic with hundreds of digits, and the RDP of the sampled Gaussian as the integral
 * that defines it, E_{z~N(0,σ²)}[(μ(z)/μ₀(z))^α], by the trapezoid rule on a grid fine enough for
 * both the Gaussian and the likelihood ratio.
 */
final class IndependentReference {

    private static final double LN_10 = Math.log(10);

    private IndependentReference() {
    }

    /** ln erfc(x), from erf's Taylor series at enough digits that 1 - erf keeps 30 of them. */
    static double logErfc(double x) {
        BigDecimal erf = erf(Math.abs(x));
        BigDecimal erfc = x >= 0 ? BigDecimal.ONE.subtract(erf) : BigDecimal.ONE.add(erf);
        return ln(erfc);
    }

    /** erf(x) for x ≥ 0 by Σ (-1)ⁿ x^{2n+1} / (n! (2n+1)), whose terms peak near e^{x²}. */
    private static BigDecimal erf(double x) {
        int digits = (int) (0.87 * x * x) + 40;
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, mc);
        BigDecimal power = bx; // x^{2n+1} / n!, with sign
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal threshold = BigDecimal.ONE.movePointLeft(digits);
        for (int n = 0; ; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (n > x * x && term.abs().compareTo(threshold) < 0) {
                break;
            }
            power = power.multiply(x2, mc).divide(BigDecimal.valueOf(n + 1), mc).negate();
        }
        BigDecimal twoOverSqrtPi = BigDecimal.valueOf(2).divide(pi(mc).sqrt(mc), mc);
        return sum.multiply(twoOverSqrtPi, mc);
    }

    /** π to the context's precision by Machin's formula, π = 16 atan(1/5) - 4 atan(1/239): 1 - erf cancels hundreds of digits. */
    private static BigDecimal pi(MathContext mc) {
        return atanOfInverse(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atanOfInverse(239, mc).multiply(BigDecimal.valueOf(4)), mc);
    }

    /** atan(1/k) = Σ (-1)ⁿ / ((2n+1) k^{2n+1}). */
    private static BigDecimal atanOfInverse(int k, MathContext mc) {
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(k), mc);
        BigDecimal k2 = BigDecimal.valueOf((long) k * k);
        BigDecimal threshold = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 2);
        BigDecimal sum = BigDecimal.ZERO;
        for (int n = 0; power.compareTo(threshold) > 0; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = n % 2 == 0 ? sum.add(term, mc) : sum.subtract(term, mc);
            power = power.divide(k2, mc);
        }
        return sum;
    }

    /** ln of a positive decimal of any magnitude, to double precision. */
    private static double ln(BigDecimal value) {
        BigDecimal rounded = value.round(new MathContext(25));
        int exponent = rounded.precision() - rounded.scale() - 1;
        double mantissa = rounded.movePointLeft(exponent).doubleValue();
        return Math.log(mantissa) + exponent * LN_10;
    }

    /** RDP at order α of one step of the Poisson-subsampled Gaussian, by numerical integration. */
    static double rdp(double q, double sigma, double alpha) {
        double s2 = 2 * sigma * sigma;
        double h = Math.min(sigma, sigma * sigma / alpha) / 24;
        double from = -40 * sigma;
        double to = alpha + 40 * sigma;
        int n = (int) Math.ceil((to - from) / h);
        h = (to - from) / n;
        double logNorm = -0.5 * Math.log(Math.PI * s2);
        // the log of the integrand at every node: log μ₀(z) + α log(1 - q + q e^{(2z-1)/(2σ²)})
        double max = Double.NEGATIVE_INFINITY;
        double[] log = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double z = from + i * h;
            log[i] = logNorm - z * z / s2 + alpha * Math.log1p(q * Math.expm1((2 * z - 1) / s2));
            max = Math.max(max, log[i]);
        }
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            sum += (i == 0 || i == n ? 0.5 : 1) * Math.exp(log[i] - max);
        }
        double logA = max + Math.log(sum * h);
        if (logA > 0.01) {
            return logA / (alpha - 1);
        }
        // A close to 1: integrate A - 1 directly, so its small excess is not lost to rounding
        double excess = 0;
        for (int i = 0; i <= n; i++) {
            double z = from + i * h;
            double bracket = Math.expm1(alpha * Math.log1p(q * Math.expm1((2 * z - 1) / s2)));
            excess += (i == 0 || i == n ? 0.5 : 1) * Math.exp(logNorm - z * z / s2) * bracket;
        }
        return Math.log1p(excess * h) / (alpha - 1);
    }

    /** ε of an RDP value at one order, by the conversion of Balle et al. 2020, written out afresh. */
    static double epsilonAtOrder(double rdp, double alpha, double delta) {
        return rdp + Math.log1p(-1 / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
    }
}
