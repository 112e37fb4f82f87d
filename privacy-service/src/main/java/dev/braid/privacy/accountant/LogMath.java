package dev.braid.privacy.accountant;

/**
 * Log-space arithmetic and a log-erfc that stays accurate deep in the tail, where erfc itself
 * underflows; everything the accountant needs that {@link Math} lacks.
 */
final class LogMath {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double LN_2 = Math.log(2);

    private LogMath() {
    }

    /** log(e^a + e^b) without overflow. */
    static double logAdd(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /** log(e^a - e^b) for a ≥ b; -∞ when they are equal. */
    static double logSub(double a, double b) {
        if (b > a) {
            throw new ArithmeticException("logSub: the result would be negative");
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + Math.log(-Math.expm1(b - a));
    }

    /**
     * log(erfc(x)) over the whole real line. From 0 to 2, erfc = 1 - erf with erf from its
     * all-positive series (no cancellation in the series; 1 - erf(2) still keeps 13 digits). From 2
     * up, the continued fraction erfc(x) = e^{-x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) in log
     * space, which never underflows. Below 0, erfc(x) = 2 - erfc(|x|), taken as
     * ln 2 + log1p(-erfc(|x|)/2) so that the lower tail tends to ln 2 instead of summing a series
     * whose terms outgrow a double.
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x < 0) {
            return LN_2 + Math.log1p(-Math.exp(logErfc(-x)) / 2);
        }
        if (x < 2) {
            return Math.log(1 - erfSeries(x));
        }
        return -x * x - LOG_SQRT_PI - Math.log(continuedFraction(x));
    }

    /** erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), for 0 ≤ x < 2, where it converges in under 60 terms. */
    private static double erfSeries(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 500; n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    /** x + a₁/(x + a₂/(x + …)) with a_k = k/2, by the modified Lentz method. */
    private static double continuedFraction(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 10_000; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return f;
    }
}
