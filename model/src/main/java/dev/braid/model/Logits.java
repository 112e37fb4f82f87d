package dev.braid.model;

import ai.djl.ndarray.NDArray;

/** A (batch × classes) array as one Java row per example. */
final class Logits {

    private Logits() {
    }

    static float[][] rows(NDArray logits) {
        int rows = (int) logits.getShape().get(0);
        int classes = (int) logits.getShape().get(1);
        float[] flat = logits.toFloatArray();
        float[][] out = new float[rows][classes];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * classes, out[r], 0, classes);
        }
        return out;
    }
}
