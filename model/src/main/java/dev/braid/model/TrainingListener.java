package dev.braid.model;

/** What a training run reports and asks while it runs; called on the training thread. */
public interface TrainingListener {

    /** After each step (one batch through both branches). */
    default void onStep(int epoch, long step, long steps) {
    }

    /**
     * After each epoch's {@link #onCheckpoint}, with its summary (losses and validation accuracy;
     * a private run's, the epoch alone), of at most {@code epochs}.
     */
    default void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
    }

    /**
     * At the end of each epoch, before its {@link #onEpoch}: everything needed to carry on from
     * here, the private steps run included. The run continues once this returns, so a listener
     * that stores it has stored it, and one that reports epochs reports only those it stored.
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
