package dev.braid.model;

/** What a training run reports and asks while it runs; called on the training thread. */
public interface TrainingListener {

    /** After each step (one batch of one branch). */
    default void onStep(int epoch, int step, int steps) {
    }

    /** After each epoch, with the mean training loss and the fused accuracy on the validation split. */
    default void onEpoch(int epoch, int epochs, int step, int steps, double loss, double validationAccuracy) {
    }

    /** Asked before every batch; true stops the run with {@link TrainingCancelledException}. */
    default boolean cancelRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
