/**
 * What a finished training job reports, as typed records: the test-split metrics of each branch
 * and of the fused model, what the trainer chose, and for a private job what its ε was. The
 * training service writes them, the inference service keeps them with the model version, and both
 * serve them as they are, so the public OpenAPI document describes every field a client will read.
 */
package dev.braid.common.report;
