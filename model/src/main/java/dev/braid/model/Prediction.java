package dev.braid.model;

import java.util.Map;

/**
 * One prediction: the fused label and probabilities, each modality's own (null when the input
 * lacked it) and the α used.
 */
public record Prediction(String label, Map<String, Double> probabilities, Part text, Part image, double alpha) {

    /** One modality's answer. */
    public record Part(String label, Map<String, Double> probabilities) {
    }
}
