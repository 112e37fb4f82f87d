package dev.braid.training.job;

/** Where a job is in its life; SUCCEEDED, FAILED and CANCELLED are final. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED
}
