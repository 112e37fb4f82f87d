package dev.braid.dataset.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A dataset as stored: its labels and, when it has one, its privacy budget. */
public record Dataset(UUID id, String tenant, String name, List<String> labels, Privacy privacy, Instant createdAt) {

    /** The (ε, δ) budget every training job on the dataset is charged against. */
    public record Privacy(double epsilonBudget, double delta) {
    }
}
