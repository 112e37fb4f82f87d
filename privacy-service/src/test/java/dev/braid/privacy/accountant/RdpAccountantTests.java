package dev.braid.privacy.accountant;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class RdpAccountantTests {

    @Test
    void shouldMatchTheHandSummedBinomialAtIntegerOrders() {
        double q = 0.03;
        double sigma = 0.9;
        double e1 = Math.exp(1 / (sigma * sigma));
        double e3 = Math.exp(3 / (sigma * sigma));
        double a2 = (1 - q) * (1 - q) + 2 * q * (1 - q) + q * q * e1;
        double a3 = Math.pow(1 - q, 3) + 3 * q * (1 - q) * (1 - q) + 3 * q * q * (1 - q) * e1 + q * q * q * e3;

        assertThat(RdpAccountant.rdpOfOneStep(q, sigma, 2, Work.unbounded())).isCloseTo(Math.log(a2), withPercentage(1e-10));
        assertThat(RdpAccountant.rdpOfOneStep(q, sigma, 3, Work.unbounded())).isCloseTo(Math.log(a3) / 2, withPercentage(1e-10));
    }

    @Test
    void shouldUseTheClosedFormWithoutSampling() {
        // q = 1 is the plain Gaussian mechanism: RDP(α) = α / (2σ²) per step
        double sigma = 1.3;
        long steps = 7;
        double delta = 1e-5;
        List<Double> orders = List.of(2.0, 3.5, 8.0);
        double best = Double.POSITIVE_INFINITY;
        for (double alpha : orders) {
            double rdp = steps * alpha / (2 * sigma * sigma);
            best = Math.min(best, rdp - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha));
        }

        RdpAccountant.Epsilon result = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(1, sigma, steps)), delta, orders);

        assertThat(result.epsilon()).isCloseTo(best, withPercentage(1e-10));
    }

    @Test
    void shouldMatchPublishedReferenceValues() {
        // the reference values of TensorFlow Privacy's and Opacus's RDP tests
        assertThat(RdpAccountant.rdpOfOneStep(0.1, 2, 5, Work.unbounded()) * 10).isCloseTo(0.07737, within(5e-6));
        double[] expected = {6.5007e-04, 1.0854e-03, 2.1808e-03, 2.3846e-02, 1.6742e+02};
        double[] orders = {1.5, 2.5, 5, 50, 100};
        for (int i = 0; i < orders.length; i++) {
            assertThat(RdpAccountant.rdpOfOneStep(0.01, 2.5, orders[i], Work.unbounded()) * 50).isCloseTo(expected[i], withPercentage(0.01));
        }
        assertThat(RdpAccountant.rdpOfOneStep(0.01, 2.5, Double.POSITIVE_INFINITY, Work.unbounded())).isInfinite();
    }

    @Test
    void shouldBeContinuousAndNonDecreasingInTheOrder() {
        double atTwo = RdpAccountant.rdpOfOneStep(0.02, 1.1, 2, Work.unbounded());
        assertThat(RdpAccountant.rdpOfOneStep(0.02, 1.1, 2.0001, Work.unbounded())).isCloseTo(atTwo, withPercentage(0.1));
        double previous = 0;
        for (double alpha : RdpAccountant.DEFAULT_ORDERS) {
            double rdp = RdpAccountant.rdpOfOneStep(0.004, 1.1, alpha, Work.unbounded());
            assertThat(rdp).isGreaterThanOrEqualTo(previous * (1 - 1e-9));
            previous = rdp;
        }
    }

    @Test
    void shouldHandleTheEdgesExplicitly() {
        assertThat(RdpAccountant.rdpOfOneStep(0, 1, 5, Work.unbounded())).isZero();
        assertThat(RdpAccountant.rdpOfOneStep(0.1, 0, 5, Work.unbounded())).isInfinite();
        RdpAccountant.Epsilon huge = RdpAccountant.epsilon(
                List.of(new RdpAccountant.Mechanism(0.004, 1.1, 1_000_000_000L)), 1e-5, RdpAccountant.DEFAULT_ORDERS);
        assertThat(huge.epsilon()).isFinite().isGreaterThan(100);
    }

    @Test
    void shouldComposeByAddingCurves() {
        RdpAccountant.Mechanism m = new RdpAccountant.Mechanism(0.01, 1.0, 100);
        RdpAccountant.Epsilon twice = RdpAccountant.epsilon(List.of(m, m), 1e-5, RdpAccountant.DEFAULT_ORDERS);
        RdpAccountant.Epsilon doubled = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(0.01, 1.0, 200)), 1e-5,
                RdpAccountant.DEFAULT_ORDERS);
        assertThat(twice.epsilon()).isCloseTo(doubled.epsilon(), withPercentage(1e-9));
    }

    @Test
    void shouldFindTheSmallestNoiseThatFitsTheTarget() {
        RdpAccountant.Noise noise = RdpAccountant.noiseMultiplier(2.0, 1e-5, 0.01, 1000, 0.01, RdpAccountant.DEFAULT_ORDERS)
                .orElseThrow();

        assertThat(noise.epsilon()).isLessThanOrEqualTo(2.0).isGreaterThan(2.0 - 0.01);
        double slightlyLess = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(0.01, noise.noiseMultiplier() * 0.99, 1000)),
                1e-5, RdpAccountant.DEFAULT_ORDERS).epsilon();
        assertThat(slightlyLess).isGreaterThan(noise.epsilon());
        assertThat(RdpAccountant.noiseMultiplier(1e-9, 1e-5, 1, 1_000_000, 1e-12, RdpAccountant.DEFAULT_ORDERS)).isEmpty();
    }

    @Test
    void shouldFitTheSearchedNoiseAroundMechanismsComposedAlongside() {
        List<RdpAccountant.Mechanism> selection = List.of(new RdpAccountant.Mechanism(1, 5, 1));
        RdpAccountant.Noise alone = RdpAccountant.noiseMultiplier(3.0, 1e-5, 0.02, 2000, 1e-4, RdpAccountant.DEFAULT_ORDERS)
                .orElseThrow();
        RdpAccountant.Noise withSelection = RdpAccountant.noiseMultiplier(3.0, 1e-5, 0.02, 2000, 1e-4, RdpAccountant.DEFAULT_ORDERS,
                selection, Work.unbounded()).orElseThrow();

        double composed = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(0.02, withSelection.noiseMultiplier(), 2000),
                selection.get(0)), 1e-5, RdpAccountant.DEFAULT_ORDERS).epsilon();
        assertThat(composed).as("the whole composition fits").isLessThanOrEqualTo(3.0).isGreaterThan(3.0 - 1e-4)
                .isCloseTo(withSelection.epsilon(), withPercentage(1e-9));
        assertThat(withSelection.noiseMultiplier()).as("room left for the selection costs noise").isGreaterThan(alone.noiseMultiplier());
        assertThat(RdpAccountant.noiseMultiplier(0.01, 1e-5, 0.02, 2000, 1e-4, RdpAccountant.DEFAULT_ORDERS,
                List.of(new RdpAccountant.Mechanism(1, 0.5, 1)), Work.unbounded())).as("the fixed part alone is over the target").isEmpty();
    }

    @Test
    void shouldComputeLogErfcDeepInTheTail() {
        assertThat(LogMath.logErfc(0)).isCloseTo(0, within(1e-15));
        assertThat(Math.exp(LogMath.logErfc(1))).isCloseTo(0.157299207050285131, withPercentage(1e-11));
        assertThat(Math.exp(LogMath.logErfc(3))).isCloseTo(2.209049699858544e-05, withPercentage(1e-9));
        assertThat(Math.exp(LogMath.logErfc(5))).isCloseTo(1.5374597944280349e-12, withPercentage(1e-9));
        assertThat(Math.exp(LogMath.logErfc(10))).isCloseTo(2.088487583762545e-45, withPercentage(1e-9));
        assertThat(Math.exp(LogMath.logErfc(-1))).isCloseTo(2 - 0.157299207050285131, withPercentage(1e-12));
        // far past underflow, the asymptotic series: erfc(x) ≈ e^{-x²}/(x√π) · (1 - 1/(2x²) + 3/(4x⁴) - …)
        double x = 100;
        double x2 = x * x;
        assertThat(LogMath.logErfc(x)).isCloseTo(
                -x2 - Math.log(x * Math.sqrt(Math.PI)) + Math.log1p(-1 / (2 * x2) + 3 / (4 * x2 * x2)), within(1e-11));
    }
}
