package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A run stopped after an epoch and resumed from its checkpoint ends where an uninterrupted run ends. */
class CheckpointResumeTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    enum Kind {
        PLAIN(new TrainingOptions(3, 8, 0.01, 11)),
        PRIVATE(new TrainingOptions(3, 8, 0.01, 11, new TrainingOptions.Privacy(1.0, 1.0, 8.0 / 36, 5, null, 5.0))),
        // patience 2 with a text rate this high: the run stops well before its 12 epochs
        EARLY_STOPPING(new TrainingOptions(12, 8, 0.5, 0.003, 2, 11, null)),
        FINE_TUNED(new TrainingOptions(3, 8, 0.01, 0.01, 0, 11, null, true, true, new TrainingOptions.FineTuning(2, 1e-3, 0))),
        PRIVATE_FINE_TUNED(new TrainingOptions(3, 8, 0.01, 0.01, 0, 11, new TrainingOptions.Privacy(1.0, 1.0, 8.0 / 36, 5, null, 5.0),
                true, true, new TrainingOptions.FineTuning(1, 1e-3, 0))),
        BALANCED_CLASSES(new TrainingOptions(6, 8, 0.01, 0.003, 2, 11, null, true, true, null, true));

        final TrainingOptions options;

        Kind(TrainingOptions options) {
            this.options = options;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldResumeToTheSameModelAsAnUninterruptedRun(Kind kind) throws Exception {
        List<Example> examples = SyntheticData.examples(60, 4);
        TrainingOptions options = kind.options;

        List<Checkpoint> checkpoints = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        TrainingResult straight = new MultimodalTrainer().train(examples, LABELS, options, new TrainingListener() {
            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                checkpoints.add(checkpoint);
                calls.add("checkpoint " + checkpoint.epoch());
            }

            @Override
            public void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
                calls.add("epoch " + summary.epoch());
            }
        });
        int ran = straight.schedule().epochs();
        assertThat(checkpoints).extracting(Checkpoint::epoch).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, ran).boxed().toList());
        // an epoch is reported once what it spent is on record: the checkpoint comes first
        assertThat(calls).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, ran).boxed()
                .flatMap(e -> java.util.stream.Stream.of("checkpoint " + e, "epoch " + e)).toList());

        // as if the worker died during the next epoch: a fresh trainer carries on from the stored bytes of the second-last one
        int from = kind == Kind.EARLY_STOPPING || kind == Kind.BALANCED_CLASSES ? ran - 1 : 1;
        Checkpoint interrupted = Checkpoint.fromBytes(checkpoints.get(from - 1).toBytes());
        List<Integer> epochsRun = new ArrayList<>();
        TrainingResult resumed = new MultimodalTrainer().train(examples, LABELS, options, new TrainingListener() {
            @Override
            public void onEpoch(EpochSummary summary, int epochs, long step, long steps) {
                epochsRun.add(summary.epoch());
            }
        }, interrupted);

        assertThat(epochsRun).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(from + 1, ran).boxed().toList());
        assertThat(resumed.artifact().textParameters()).isEqualTo(straight.artifact().textParameters());
        assertThat(resumed.artifact().imageParameters()).isEqualTo(straight.artifact().imageParameters());
        assertThat(resumed.alpha()).isEqualTo(straight.alpha());
        assertThat(resumed.schedule()).isEqualTo(straight.schedule());
        if (kind == Kind.EARLY_STOPPING) {
            assertThat(ran).as("stopped before the most epochs allowed").isLessThan(12);
            assertThat(interrupted.header().textBest()).as("resumed with a best epoch already held").isNotNull();
            assertThat(interrupted.header().curve()).hasSize(from);
        }
        if (kind.options.fineTuning() != null) {
            assertThat(interrupted.header().textLayers()).isEqualTo(kind.options.fineTuning().layers());
            assertThat(resumed.schedule().fineTuning().layers()).isEqualTo(kind.options.fineTuning().layers());
        }
        if (kind == Kind.PRIVATE) {
            assertThat(checkpoints.get(0).privateSteps()).isEqualTo(5);
            assertThat(checkpoints.get(0).header().secret()).hasSize(32);
            assertThat(resumed.privacy().steps()).isEqualTo(15);
        }
    }
}
