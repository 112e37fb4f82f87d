package dev.braid.model;

/**
 * Temperature scaling: each branch's logits are divided by the temperature that minimises the
 * negative log-likelihood on the validation split. A branch that learned spurious, over-confident
 * distinctions (a small dataset makes that easy) is softened before the fusion mixes it, so its
 * confidence means the same as the other branch's.
 */
final class Calibration {

    private static final int GRID = 80;
    private static final double MIN = 0.05;
    private static final double MAX = 50;

    private Calibration() {
    }

    /** The temperature on a log grid from 0.05 to 50 with the lowest NLL; 1 when there is nothing to fit on. */
    static double fitTemperature(float[][] logits, int[] labels) {
        if (labels.length == 0) {
            return 1;
        }
        double best = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int g = 0; g < GRID; g++) {
            double t = Math.exp(Math.log(MIN) + (Math.log(MAX) - Math.log(MIN)) * g / (GRID - 1));
            double loss = 0;
            for (int i = 0; i < labels.length; i++) {
                loss -= Math.log(Math.max(softmax(logits[i], t)[labels[i]], 1e-12));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        return best;
    }

    static float[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
