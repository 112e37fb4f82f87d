/**
 * The fused text + image classifier that training builds and inference serves: feature
 * pipelines (as DJL translators), the two branches' networks, training with a fitted fusion
 * weight α in {@code p = (1-α)·p_text + α·p_image}, the artifact format, and prediction. Training
 * and inference both depend on this one definition, so a model is always read as it was written.
 */
package dev.braid.model;
