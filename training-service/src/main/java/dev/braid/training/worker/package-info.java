/**
 * Workers: each claims a queued job through {@link dev.braid.training.job.JobExecution}, holds its lease with
 * heartbeats (stopping the attempt when the job is cancelled or the lease is lost), and hands the attempt to the
 * facade to run. What running a job means lives in {@code training.job}.
 */
package dev.braid.training.worker;
