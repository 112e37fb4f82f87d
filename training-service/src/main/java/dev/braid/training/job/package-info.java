/**
 * The job queue: submitting, reading and cancelling jobs, claiming with leases, wake-ups and the
 * event stream.
 */
package dev.braid.training.job;
