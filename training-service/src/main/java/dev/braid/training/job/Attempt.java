package dev.braid.training.job;

/**
 * One worker's attempt at a claimed job, as the worker and the pipeline share it: the heartbeat sets it to stop
 * (cancel asked, or the lease lost to another worker), and the training loop reads that between steps.
 */
public final class Attempt {

    private final TrainingJob job;
    private final String worker;
    private volatile boolean stop;
    private volatile boolean cancelled;

    public Attempt(TrainingJob job, String worker) {
        this.job = job;
        this.worker = worker;
    }

    public TrainingJob job() {
        return job;
    }

    String worker() {
        return worker;
    }

    /** Stops the attempt at its next step: {@code cancel} when the job was cancelled, false when the lease was lost. */
    public void stop(boolean cancel) {
        this.cancelled = cancel;
        this.stop = true;
    }

    boolean stopRequested() {
        return stop;
    }

    boolean cancelled() {
        return cancelled;
    }
}
