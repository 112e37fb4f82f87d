package dev.braid.model;

/** A training run stopped because its listener asked it to. */
public final class TrainingCancelledException extends RuntimeException {

    TrainingCancelledException(long step) {
        super("training cancelled at step " + step);
    }
}
