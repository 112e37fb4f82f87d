package dev.braid.model;

/**
 * One epoch as the run saw it: the mean training loss, each branch's mean cross-entropy on the
 * validation split (null where the branch did not exist, had no validation records or had
 * already stopped), and the fused validation accuracy at α = 0.5. The curve early stopping chose from.
 * A private run's epochs say only which epoch ended ({@link #onlyEpoch}): their losses and
 * accuracies are statistics of private records that DP-SGD's noise does not cover.
 */
public record EpochSummary(int epoch, Double trainLoss, Double textValidationLoss, Double imageValidationLoss,
        Double validationAccuracy) {

    /** An epoch's end, and nothing measured on the data. */
    static EpochSummary onlyEpoch(int epoch) {
        return new EpochSummary(epoch, null, null, null, null);
    }
}
