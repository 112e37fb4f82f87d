package dev.braid.model;

/** What a training run reports and asks while it runs; called on the training thread. */
public interface TrainingListener {

    /** After each step (one batch through both branches). */
    default void onStep(int epoch, long step, long steps) {
    }

    /** After each epoch, with its summary (losses and validation accuracy), of at most {@code epochs}. */
    default void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
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
