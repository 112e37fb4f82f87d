package dev.braid.model;

/** What a training run reports and asks while it runs; called on the training thread. */
public interface TrainingListener {

    /** After each step (one batch through both branches). */
    default void onStep(int epoch, long step, long steps) {
    }

    /** After each epoch, with the mean training loss and the fused accuracy on the validation split. */
    default void onEpoch(int epoch, int epochs, long step, long steps, double loss, double validationAccuracy) {
    }

    /**
     * After each epoch's {@link #onEpoch}: everything needed to carry on from here. The run
     * continues once this returns, so a listener that stores it has stored it.
     */
    default void onCheckpoint(Checkpoint checkpoint) {
    }

    /** Asked before every batch; true stops the run with {@link TrainingCancelledException}. */
    default boolean cancelRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
