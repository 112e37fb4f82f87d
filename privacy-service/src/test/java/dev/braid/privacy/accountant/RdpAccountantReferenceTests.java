package dev.braid.privacy.accountant;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accountant over its whole domain, tail included, against {@link IndependentReference}: erfc
 * in high-precision decimals and the RDP integral computed numerically, never this code's output.
 */
class RdpAccountantReferenceTests {

    private static final double[] SAMPLE_RATES = {1e-4, 0.004, 0.01, 0.1, 0.5};
    /** The tail that broke the old log-erfc: q = 0.004 at σ 5.4–6.9, q = 0.01 at 6.5–8.5, q = 1e-4 at 3.2–4.2. */
    private static final double[] NOISE = {0.6, 1.1, 3.5, 4, 5.5, 6, 6.9, 7.5, 8.5, 20};
    private static final double[] ORDERS = {1.1, 1.5, 2, 3.7, 10.9, 12, 33, 63};

    @Test
    void shouldMatchHighPrecisionErfcOverTheWholeLine() {
        List<Double> points = new java.util.ArrayList<>();
        for (double x = -6; x <= 8; x += 0.125) {
            points.add(x);
        }
        points.addAll(List.of(-1e-9, 1e-9, 1.999999, 2.000001, 10.5, 13.0, 17.25, 21.0, 26.0));
        for (double x : points) {
            double expected = IndependentReference.logErfc(x);
            assertThat(LogMath.logErfc(x)).as("ln erfc(%s)", x)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(2e-13 * Math.max(1, Math.abs(expected))));
        }
        // below -6, erfc(x) = 2 - erfc(|x|) with erfc(|x|) < 2e-17: ln 2 to double precision, where the
        // old series returned 0 (below about -21) and then NaN (below about -27)
        for (double x : new double[] {-6.5, -9, -15, -21.3, -22, -27.5, -30, -40, -1e10, -1e300, Double.NEGATIVE_INFINITY}) {
            assertThat(LogMath.logErfc(x)).as("ln erfc(%s)", x).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    @Test
    void shouldMatchTheRdpIntegralAcrossSampleRatesNoiseAndOrders() {
        for (double q : SAMPLE_RATES) {
            for (double sigma : NOISE) {
                for (double alpha : ORDERS) {
                    double expected = IndependentReference.rdp(q, sigma, alpha);
                    double actual = RdpAccountant.rdpOfOneStep(q, sigma, alpha, Work.unbounded());
                    // the series stops at terms of e^-30, as Opacus's: at most 1e-12 of RDP per step left off
                    assertThat(actual).as("RDP(q=%s, σ=%s, α=%s)", q, sigma, alpha)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.max(1e-6 * expected, 1e-12)));
                }
            }
        }
    }

    @Test
    void shouldApproachTheUnsampledClosedFormAsTheSampleRateNearsOne() {
        for (double sigma : new double[] {0.8, 2, 6}) {
            for (double alpha : new double[] {1.5, 2, 7.5, 32}) {
                double closedForm = alpha / (2 * sigma * sigma);
                assertThat(RdpAccountant.rdpOfOneStep(1 - 1e-9, sigma, alpha, Work.unbounded())).as("σ=%s α=%s", sigma, alpha)
                        .isCloseTo(closedForm, org.assertj.core.data.Percentage.withPercentage(1e-3))
                        .isLessThanOrEqualTo(closedForm * (1 + 1e-12));
            }
        }
    }

    @Test
    void shouldGiveTheTailEpsilonAnOutsideCheckExpects() {
        // q = 0.004, σ = 6, 250 steps, δ = 1e-5 returned ε = -1585 before the lower tail was fixed
        double expected = Double.POSITIVE_INFINITY;
        for (double alpha : RdpAccountant.DEFAULT_ORDERS) {
            expected = Math.min(expected,
                    IndependentReference.epsilonAtOrder(250 * IndependentReference.rdp(0.004, 6, alpha), alpha, 1e-5));
        }
        double actual = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(0.004, 6, 250)), 1e-5,
                RdpAccountant.DEFAULT_ORDERS).epsilon();

        assertThat(expected).isBetween(0.09, 0.12);
        assertThat(actual).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-4));
    }

    @Test
    void shouldNeverGiveLessPrivacyLossForLessNoiseOrMoreSampling() {
        double[] sigmas = {0.5, 0.8, 1.1, 2, 3.2, 3.7, 4.2, 5.4, 6, 6.5, 6.9, 7.5, 8.5, 12, 30, 100};
        double[] rates = {1e-6, 1e-4, 1e-3, 0.004, 0.01, 0.05, 0.2, 0.6, 1};
        for (long steps : new long[] {1, 250, 100_000}) {
            for (double q : rates) {
                double previous = Double.POSITIVE_INFINITY;
                for (double sigma : sigmas) {
                    double eps = epsilon(q, sigma, steps);
                    assertThat(eps).as("q=%s σ=%s steps=%s", q, sigma, steps).isFinite().isGreaterThanOrEqualTo(0)
                            .isLessThanOrEqualTo(previous * (1 + 1e-9));
                    previous = eps;
                }
            }
            for (double sigma : sigmas) {
                double previous = 0;
                for (double q : rates) {
                    double eps = epsilon(q, sigma, steps);
                    assertThat(eps).as("q=%s σ=%s steps=%s", q, sigma, steps).isGreaterThanOrEqualTo(previous * (1 - 1e-9));
                    previous = eps;
                }
            }
        }
    }

    @Test
    void shouldKeepEveryOrderOfEveryCurveComposable() {
        for (double q : new double[] {1e-9, 1e-4, 0.004, 0.01, 0.3, 0.999}) {
            for (double sigma : new double[] {0.3, 1, 3.5, 6, 8, 50, 1e4}) {
                double[] curve = RdpAccountant.rdp(List.of(new RdpAccountant.Mechanism(q, sigma, 1000)), RdpAccountant.DEFAULT_ORDERS);
                for (double v : curve) {
                    assertThat(v).as("q=%s σ=%s", q, sigma).isNotNaN().isGreaterThanOrEqualTo(0);
                }
            }
        }
        assertThat(RdpAccountant.isComposable(new double[] {0.1, 0, 2})).isTrue();
        assertThat(RdpAccountant.isComposable(new double[] {0.1, -1e-9})).isFalse();
        assertThat(RdpAccountant.isComposable(new double[] {Double.NaN})).isFalse();
        assertThat(RdpAccountant.isComposable(new double[] {Double.POSITIVE_INFINITY})).isFalse();
        assertThat(RdpAccountant.isComposable(new double[0])).isFalse();
    }

    private static double epsilon(double q, double sigma, long steps) {
        return RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(q, sigma, steps)), 1e-5, RdpAccountant.DEFAULT_ORDERS)
                .epsilon();
    }
}
