package dev.braid.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsTests {

    @Test
    void shouldDeriveConfusionPrecisionRecallAndF1FromThePredictions() {
        // truth:     0 0 0 0 1 1 2 2 2 2
        // predicted: 0 0 1 2 1 1 2 2 0 -1 (the last had no usable modality)
        int[] truth = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] predicted = {0, 0, 1, 2, 1, 1, 2, 2, 0, -1};

        Metrics m = Metrics.of(truth, predicted, 3);

        assertThat(m.confusion()).isDeepEqualTo(new int[][] {{2, 1, 1}, {0, 2, 0}, {1, 0, 2}});
        assertThat(m.accuracy()).isEqualTo(0.6);
        assertThat(m.support(2)).as("the unanswered record is in no cell").isEqualTo(3);
        assertThat(m.precision(0)).isEqualTo(2.0 / 3);
        assertThat(m.recall(0)).isEqualTo(0.5);
        assertThat(m.precision(1)).isEqualTo(2.0 / 3);
        assertThat(m.recall(1)).isEqualTo(1.0);
        // F1 per class from tp, fp, fn by hand: 0: 4/7, 1: 4/5, 2: tp 2, fp 1, fn 2 → 4/7
        assertThat(m.macroF1()).isCloseTo((4.0 / 7 + 4.0 / 5 + 4.0 / 7) / 3, within(1e-12));
    }

    @Test
    void shouldGiveTheWilsonIntervalOfTheTablesAndStayInsideZeroToOne() {
        // 81 of 263: the Wilson score interval printed in Newcombe (1998), Statistics in Medicine 17, table I: 0.2553 to 0.3662
        double[] published = metrics(81, 263).accuracyInterval95();
        assertThat(published[0]).isCloseTo(0.2553, within(5e-5));
        assertThat(published[1]).isCloseTo(0.3662, within(5e-5));
        // 150 test records at 80 %: about ±6.5 points, the width the issue warns of
        double[] small = metrics(120, 150).accuracyInterval95();
        assertThat(small[1] - small[0]).isBetween(0.12, 0.14);
        // all right or all wrong: the interval still has width and never leaves [0, 1]
        assertThat(metrics(10, 10).accuracyInterval95()).satisfies(i -> {
            assertThat(i[1]).as("a perfect score's interval reaches 1 exactly").isEqualTo(1.0);
            assertThat(i[0]).isBetween(0.6, 0.75);
        });
        assertThat(metrics(0, 10).accuracyInterval95()[0]).isZero();
        for (int correct = 0; correct <= 37; correct++) {
            Metrics m = metrics(correct, 37);
            assertThat(m.accuracyInterval95()[0]).isLessThanOrEqualTo(m.accuracy());
            assertThat(m.accuracyInterval95()[1]).isGreaterThanOrEqualTo(m.accuracy());
        }
        assertThat(Metrics.of(new int[0], new int[0], 2).accuracyInterval95()).containsExactly(0, 1);
        // narrower with more examples at the same accuracy
        double previous = 1;
        for (int n = 10; n <= 10_000; n *= 10) {
            double[] interval = metrics(n * 7 / 10, n).accuracyInterval95();
            assertThat(interval[0]).isLessThan(0.7);
            assertThat(interval[1]).isGreaterThan(0.7);
            assertThat(interval[1] - interval[0]).isLessThan(previous);
            previous = interval[1] - interval[0];
        }
    }

    /** {@code correct} of {@code n} right, two classes. */
    private static Metrics metrics(int correct, int n) {
        int[] truth = new int[n];
        int[] predicted = new int[n];
        for (int i = correct; i < n; i++) {
            predicted[i] = 1;
        }
        return Metrics.of(truth, predicted, 2);
    }

    @Test
    void shouldReleaseNoisyCountsWhoseIntervalCoversTheTruthNineteenTimesInTwenty() {
        // exact: 60 of 100 right; released 20,000 times with noise of standard deviation 7 on each count
        int[] truth = new int[100];
        int[] predicted = new int[100];
        for (int i = 0; i < 100; i++) {
            truth[i] = i % 3;
            predicted[i] = i < 60 ? truth[i] : (truth[i] + 1) % 3;
        }
        Metrics exact = Metrics.of(truth, predicted, 3);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int draws = 20_000;
        int covered = 0;
        double sum = 0;
        double sumOfSquares = 0;
        for (int d = 0; d < draws; d++) {
            Metrics released = exact.released(7, random);
            sum += released.examples();
            sumOfSquares += (double) released.examples() * released.examples();
            double[] interval = released.accuracyInterval95();
            covered += interval[0] <= 0.6 && 0.6 <= interval[1] ? 1 : 0;
            assertThat(released.accuracy()).isBetween(0.0, 1.0);
            assertThat(released.noisy()).isTrue();
        }
        double mean = sum / draws;
        double sd = Math.sqrt(sumOfSquares / draws - mean * mean);
        assertThat(mean).as("the count is unbiased").isCloseTo(100, org.assertj.core.data.Offset.offset(0.3));
        assertThat(sd).as("with the noise asked for").isCloseTo(7, org.assertj.core.data.Offset.offset(0.15));
        // the interval adds the noise's variance to the sampling's; without it coverage of 0.6 would be far lower
        assertThat(covered / (double) draws).as("coverage of the interval").isBetween(0.93, 0.99);
        assertThatThrownBy(() -> exact.released(0, random)).isInstanceOf(IllegalArgumentException.class);
    }
}
