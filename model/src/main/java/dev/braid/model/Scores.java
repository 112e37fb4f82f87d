package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-record scores of each branch on one split: logits as computed, probabilities once
 * {@link #calibrated}; null where the record lacks the modality or the branch does not exist.
 */
record Scores(float[][] text, float[][] image, int[] labels) {

    /** The temperature that best calibrates these logits on the records that have them. */
    double temperature(float[][] logits) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            if (logits[k] != null) {
                rows.add(logits[k]);
                truth.add(labels[k]);
            }
        }
        return Calibration.fitTemperature(rows.toArray(float[][]::new), truth.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Mean cross-entropy of these logits over the records that have them, each weighted by its
     * class's weight ({@code classWeights} null: all 1); null when none has.
     */
    Double meanLoss(float[][] logits, double[] classWeights) {
        double sum = 0;
        double n = 0;
        for (int k = 0; k < labels.length; k++) {
            if (logits[k] != null) {
                double weight = classWeights == null ? 1 : classWeights[labels[k]];
                sum -= weight * Math.log(Math.max(Calibration.softmax(logits[k], 1)[labels[k]], 1e-12));
                n += weight;
            }
        }
        return n == 0 ? null : sum / n;
    }

    Scores calibrated(double textTemperature, double imageTemperature) {
        return new Scores(softmax(text, textTemperature), softmax(image, imageTemperature), labels);
    }

    private static float[][] softmax(float[][] logits, double temperature) {
        float[][] p = new float[logits.length][];
        for (int k = 0; k < logits.length; k++) {
            p[k] = logits[k] == null ? null : Calibration.softmax(logits[k], temperature);
        }
        return p;
    }

    int[] fusedPredictions(double alpha) {
        int[] predicted = new int[labels.length];
        for (int k = 0; k < labels.length; k++) {
            float[] p = Fusion.fuse(text[k], image[k], alpha);
            predicted[k] = p == null ? -1 : Metrics.argmax(p);
        }
        return predicted;
    }

    Metrics metrics(float[][] probabilities, int classes) {
        List<Integer> truth = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            if (probabilities[k] != null) {
                truth.add(labels[k]);
                predicted.add(Metrics.argmax(probabilities[k]));
            }
        }
        return Metrics.of(truth.stream().mapToInt(Integer::intValue).toArray(),
                predicted.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    private List<Integer> both() {
        List<Integer> both = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            if (text[k] != null && image[k] != null) {
                both.add(k);
            }
        }
        return both;
    }

    float[][] textBoth() {
        return both().stream().map(k -> text[k]).toArray(float[][]::new);
    }

    float[][] imageBoth() {
        return both().stream().map(k -> image[k]).toArray(float[][]::new);
    }

    int[] labelsBoth() {
        return both().stream().mapToInt(k -> labels[k]).toArray();
    }
}
