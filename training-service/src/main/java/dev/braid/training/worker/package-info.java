/**
 * Workers: claim a job, hold its lease with heartbeats, train, store the artifact and register
 * the model.
 */
package dev.braid.training.worker;
