/**
 * Fused predictions: resolving the model, checking and decoding inputs, one batched pass per
 * request.
 */
package dev.braid.inference.prediction;
