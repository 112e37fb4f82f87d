package dev.braid.benchmarks;

import java.util.Arrays;

/**
 * The baseline every model here must beat: multinomial logistic regression on standardised
 * features with an L2 penalty chosen by 5-fold cross-validation on the training rows, fitted
 * full-batch with Adam until the loss stops moving.
 */
final class SoftmaxRegression {

    private static final double[] PENALTIES = {1e-4, 1e-3, 1e-2, 1e-1};
    private static final int ITERATIONS = 400;

    private final double[] mean;
    private final double[] scale;
    private final double[][] weights; // classes × (features + 1)
    final double penalty;

    private SoftmaxRegression(double[] mean, double[] scale, double[][] weights, double penalty) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.penalty = penalty;
    }

    static SoftmaxRegression crossValidated(double[][] x, int[] y, int classes) {
        double bestLoss = Double.POSITIVE_INFINITY;
        double best = PENALTIES[0];
        for (double penalty : PENALTIES) {
            double loss = 0;
            for (int fold = 0; fold < 5; fold++) {
                final int f = fold;
                int[] trainRows = java.util.stream.IntStream.range(0, x.length).filter(i -> i % 5 != f).toArray();
                int[] heldRows = java.util.stream.IntStream.range(0, x.length).filter(i -> i % 5 == f).toArray();
                SoftmaxRegression model = fit(pick(x, trainRows), pick(y, trainRows), classes, penalty);
                double[][] p = model.probabilities(pick(x, heldRows));
                for (int i = 0; i < heldRows.length; i++) {
                    loss -= Math.log(Math.max(p[i][y[heldRows[i]]], 1e-12));
                }
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = penalty;
            }
        }
        return fit(x, y, classes, best);
    }

    static SoftmaxRegression fit(double[][] x, int[] y, int classes, double penalty) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = Math.sqrt(scale[j]) + 1e-8;
        }
        double[][] z = standardise(x, mean, scale);
        double[][] w = new double[classes][d + 1];
        double[][] m = new double[classes][d + 1];
        double[][] v = new double[classes][d + 1];
        double[][] g = new double[classes][d + 1];
        double[] logits = new double[classes];
        for (int t = 1; t <= ITERATIONS; t++) {
            for (double[] row : g) {
                Arrays.fill(row, 0);
            }
            for (int i = 0; i < n; i++) {
                softmax(w, z[i], logits);
                for (int c = 0; c < classes; c++) {
                    double err = (logits[c] - (y[i] == c ? 1 : 0)) / n;
                    double[] gc = g[c];
                    for (int j = 0; j < d; j++) {
                        gc[j] += err * z[i][j];
                    }
                    gc[d] += err;
                }
            }
            double lr = 0.05;
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= d; j++) {
                    double grad = g[c][j] + (j < d ? penalty * w[c][j] : 0);
                    m[c][j] = 0.9 * m[c][j] + 0.1 * grad;
                    v[c][j] = 0.999 * v[c][j] + 0.001 * grad * grad;
                    double mh = m[c][j] / (1 - Math.pow(0.9, t));
                    double vh = v[c][j] / (1 - Math.pow(0.999, t));
                    w[c][j] -= lr * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
        }
        return new SoftmaxRegression(mean, scale, w, penalty);
    }

    double[][] probabilities(double[][] x) {
        double[][] z = standardise(x, mean, scale);
        double[][] p = new double[x.length][weights.length];
        for (int i = 0; i < z.length; i++) {
            softmax(weights, z[i], p[i]);
        }
        return p;
    }

    private static void softmax(double[][] w, double[] z, double[] out) {
        int d = z.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double s = w[c][d];
            for (int j = 0; j < d; j++) {
                s += w[c][j] * z[j];
            }
            out[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < w.length; c++) {
            out[c] /= sum;
        }
    }

    private static double[][] standardise(double[][] x, double[] mean, double[] scale) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = new double[mean.length];
            for (int j = 0; j < mean.length; j++) {
                z[i][j] = (x[i][j] - mean[j]) / scale[j];
            }
        }
        return z;
    }

    private static double[][] pick(double[][] x, int[] rows) {
        return Arrays.stream(rows).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    private static int[] pick(int[] y, int[] rows) {
        return Arrays.stream(rows).map(i -> y[i]).toArray();
    }
}
