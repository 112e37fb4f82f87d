package dev.braid.model;

/**
 * One epoch as the run saw it: the mean training loss, each branch's mean cross-entropy on the
 * validation split (null where the branch did not exist, had no validation records or had
 * already stopped), and the fused validation accuracy at α = 0.5. The curve early stopping chose from.
 */
public record EpochSummary(int epoch, double trainLoss, Double textValidationLoss, Double imageValidationLoss,
        double validationAccuracy) {
}
