package dev.braid.model;

import java.util.random.RandomGenerator;

/** {@code p = (1-α)·p_text + α·p_image}; with one modality missing, the other alone. */
final class Fusion {

    private static final int ALPHA_STEPS = 10; // α = 0, 0.1, …, 1 for the private choice

    private Fusion() {
    }

    static float[] fuse(float[] text, float[] image, double alpha) {
        if (text == null) {
            return image;
        }
        if (image == null) {
            return text;
        }
        float[] fused = new float[text.length];
        for (int i = 0; i < fused.length; i++) {
            fused[i] = (float) ((1 - alpha) * text[i] + alpha * image[i]);
        }
        return fused;
    }

    /**
     * The α on a grid of 0.05 that maximises accuracy on examples with both modalities, ties
     * broken by log-likelihood; 0.5 when no example has both.
     */
    static double fit(float[][] text, float[][] image, int[] labels) {
        if (labels.length == 0) {
            return 0.5;
        }
        double bestAlpha = 0.5;
        double bestAccuracy = -1;
        double bestLikelihood = Double.NEGATIVE_INFINITY;
        for (int step = 0; step <= 20; step++) {
            double alpha = step / 20.0;
            int correct = 0;
            double likelihood = 0;
            for (int i = 0; i < labels.length; i++) {
                float[] p = fuse(text[i], image[i], alpha);
                correct += Metrics.argmax(p) == labels[i] ? 1 : 0;
                likelihood += Math.log(Math.max(p[labels[i]], 1e-12));
            }
            double accuracy = (double) correct / labels.length;
            if (accuracy > bestAccuracy || (accuracy == bestAccuracy && likelihood > bestLikelihood)) {
                bestAlpha = alpha;
                bestAccuracy = accuracy;
                bestLikelihood = likelihood;
            }
        }
        return bestAlpha;
    }

    /**
     * α by report-noisy-max: the count of validation records each α gets right, plus Gaussian
     * noise. One record moves each of the 11 counts by at most 1, so the count vector's L2
     * sensitivity is √11 and the noise is σ·√11: a Gaussian mechanism with noise multiplier σ.
     */
    static double chooseNoisily(float[][] text, float[][] image, int[] truth, double sigma, RandomGenerator noise) {
        double best = 0.5;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= ALPHA_STEPS; k++) {
            double alpha = (double) k / ALPHA_STEPS;
            int correct = 0;
            for (int i = 0; i < truth.length; i++) {
                correct += Metrics.argmax(fuse(text[i], image[i], alpha)) == truth[i] ? 1 : 0;
            }
            double score = correct + noise.nextGaussian() * sigma * Math.sqrt(ALPHA_STEPS + 1);
            if (score > bestScore) {
                bestScore = score;
                best = alpha;
            }
        }
        return best;
    }
}
