package dev.braid.model;

/** A training run stopped because its listener asked it to, after {@link #step()} completed steps. */
public final class TrainingCancelledException extends RuntimeException {

    private final long step;

    TrainingCancelledException(long step) {
        super("training cancelled at step " + step);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
