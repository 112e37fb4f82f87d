/**
 * Loaded models, read from the blob store, bounded in number, closed only after in-flight
 * predictions finish.
 */
package dev.braid.inference.serving;
