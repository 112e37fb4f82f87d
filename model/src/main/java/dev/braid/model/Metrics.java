package dev.braid.model;

import java.util.random.RandomGenerator;

/**
 * How predictions did against true labels: accuracy, macro-averaged F1 and the confusion matrix
 * they come from ({@code confusion[truth][predicted]}), from which per-class precision and recall
 * and a 95 % interval for the accuracy follow. All 0 on no examples. Test splits are small (150
 * records give about ±7 points), so the interval belongs next to every accuracy reported.
 *
 * <p>A private run's metrics are a {@linkplain #released noisy release} instead: the accuracy and
 * the number of examples only, from counts with Gaussian noise of standard deviation
 * {@code countNoise} added (0 for exact metrics); macro-F1 is NaN and the confusion matrix empty.
 */
public record Metrics(double accuracy, double macroF1, int examples, int[][] confusion, double countNoise) {

    public Metrics(double accuracy, double macroF1, int examples, int[][] confusion) {
        this(accuracy, macroF1, examples, confusion, 0);
    }

    /** z for a two-sided 95 % interval. */
    private static final double Z95 = 1.959963984540054;

    public static Metrics of(int[] truth, int[] predicted, int classes) {
        int n = truth.length;
        int[][] confusion = new int[classes][classes];
        if (n == 0) {
            return new Metrics(0, 0, 0, confusion);
        }
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] >= 0) {
                confusion[truth[i]][predicted[i]]++;
            }
            if (truth[i] == predicted[i]) {
                correct++;
                tp[truth[i]]++;
            }
            else {
                if (predicted[i] >= 0) {
                    fp[predicted[i]]++;
                }
                fn[truth[i]]++;
            }
        }
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (tp[c] + fn[c] + fp[c] == 0) {
                continue; // a class absent from both truth and predictions says nothing
            }
            present++;
            f1Sum += 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c]);
        }
        return new Metrics((double) correct / n, present == 0 ? 0 : f1Sum / present, n, confusion);
    }

    /** Records of the class in the split. */
    public int support(int c) {
        int sum = 0;
        for (int predicted : confusion[c]) {
            sum += predicted;
        }
        return sum;
    }

    /** Of the records predicted as the class, the share that are; 0 when none was predicted as it. */
    public double precision(int c) {
        int predictedAs = 0;
        for (int[] row : confusion) {
            predictedAs += row[c];
        }
        return predictedAs == 0 ? 0 : (double) confusion[c][c] / predictedAs;
    }

    /** Of the records of the class, the share predicted as it; 0 when the split has none. */
    public double recall(int c) {
        int support = support(c);
        return support == 0 ? 0 : (double) confusion[c][c] / support;
    }

    /** Whether these metrics are a noisy release rather than exact. */
    public boolean noisy() {
        return countNoise > 0;
    }

    /**
     * These metrics as a private run may release them: the number of correct predictions and the
     * number of examples, each with Gaussian noise of standard deviation {@code countNoise} from
     * {@code random} (the Gaussian mechanism: a record added or removed moves each count by at most
     * one), and what follows from them by post-processing alone: both rounded to whole numbers, the
     * examples to at least 1 and the correct ones to within [0, examples], and their ratio. Nothing
     * else of the exact metrics is kept.
     */
    Metrics released(double countNoise, RandomGenerator random) {
        if (!(countNoise > 0)) {
            throw new IllegalArgumentException("a noisy release needs noise above 0");
        }
        double correct = Math.round(accuracy * examples) + countNoise * random.nextGaussian();
        double n = examples + countNoise * random.nextGaussian();
        int shown = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(n)));
        // both counts rounded to whole numbers before the ratio: the low bits of a floating-point Gaussian draw can
        // tell more than the draw should (Mironov 2012), and a count is a whole number
        long right = Math.max(0, Math.min(shown, Math.round(correct)));
        return new Metrics((double) right / shown, Double.NaN, shown, new int[0][0], countNoise);
    }

    /**
     * The Wilson score interval for the accuracy at 95 %: unlike the normal approximation it stays
     * within [0, 1] and is honest at small n and at accuracies near 0 or 1. [0, 1] on no examples.
     * For a noisy release, a normal interval whose variance adds the noise's to the sampling's (the
     * delta method for the ratio of the two noisy counts), clipped to [0, 1].
     */
    public double[] accuracyInterval95() {
        if (noisy()) {
            double n = examples;
            double variance = accuracy * (1 - accuracy) / n + countNoise * countNoise * (1 + accuracy * accuracy) / (n * n);
            double half = Z95 * Math.sqrt(variance);
            return new double[] {Math.max(0, accuracy - half), Math.min(1, accuracy + half)};
        }
        if (examples == 0) {
            return new double[] {0, 1};
        }
        double z2 = Z95 * Z95;
        double n = examples;
        double centre = (accuracy + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(accuracy * (1 - accuracy) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        // the Wilson interval always holds the observed accuracy; say so exactly, where rounding would
        // leave the upper end of a perfect score at 0.9999999999999998
        return new double[] {Math.max(0, Math.min(accuracy, centre - half)), Math.min(1, Math.max(accuracy, centre + half))};
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
