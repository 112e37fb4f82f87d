package dev.braid.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Early stopping's choice of a branch's best epoch, NaN and infinite losses included. */
class BranchBestTests {

    @Test
    void shouldKeepTheLowestFiniteLossAndNeverANaNOne() {
        BranchBest best = BranchBest.better(null, 1, Double.NaN);
        assertThat(best).as("a NaN first epoch is no best").isNull();
        best = BranchBest.better(best, 2, 0.9);
        assertThat(best).isEqualTo(new BranchBest(2, 0.9));
        assertThat(BranchBest.better(best, 3, Double.NaN)).isSameAs(best);
        assertThat(BranchBest.better(best, 3, Double.NEGATIVE_INFINITY)).isSameAs(best);
        assertThat(BranchBest.better(best, 3, 0.9)).as("a tie is no improvement").isSameAs(best);
        assertThat(BranchBest.better(best, 3, null)).isSameAs(best);
        assertThat(BranchBest.better(best, 4, 0.5)).isEqualTo(new BranchBest(4, 0.5));
    }
}
