package dev.braid.model;

/**
 * What a finished run produced: the artifact to store and its test-split metrics per modality
 * and fused, with the fitted α.
 */
public record TrainingResult(ModelArtifact artifact, Metrics text, Metrics image, Metrics fused, double alpha) {
}
