/**
 * Training jobs and their state machine: submitting, reading and cancelling jobs, the queue with its leases and
 * wake-ups, the event stream, and running a claimed job as named stages ({@link dev.braid.training.job.JobPipeline}:
 * load examples, train with a checkpoint store, settle ε, publish the model). Workers see one facade,
 * {@link dev.braid.training.job.JobExecution}: claim, heartbeat, run. The queue stays on {@code JdbcClient}
 * ({@code JobRepository}): claiming is one {@code FOR UPDATE SKIP LOCKED} statement, leases and progress are
 * conditional updates on the lease owner, events and wake-ups ride {@code LISTEN/NOTIFY}, and checkpoints are
 * sealed byte arrays; none of it reads as entities.
 */
package dev.braid.training.job;
