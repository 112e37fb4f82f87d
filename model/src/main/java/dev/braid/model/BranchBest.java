package dev.braid.model;

/** A branch's best epoch so far under early stopping, and its validation loss then. */
public record BranchBest(int epoch, double loss) {

    /**
     * The better of {@code best} (null: none yet) and the epoch just measured ({@code loss} null:
     * nothing measured). A loss that is not finite is never the best: a branch whose loss went NaN
     * keeps the epoch it had, and never locks in a NaN one.
     */
    static BranchBest better(BranchBest best, int epoch, Double loss) {
        if (loss == null || !Double.isFinite(loss) || (best != null && !(loss < best.loss))) {
            return best;
        }
        return new BranchBest(epoch, loss);
    }

    /** True once {@code patience} epochs have passed without improving on this one. */
    boolean exhausted(int epoch, int patience) {
        return epoch - this.epoch >= patience;
    }
}
