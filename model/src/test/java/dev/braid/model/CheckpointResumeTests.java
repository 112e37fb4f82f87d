package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A run stopped after an epoch and resumed from its checkpoint ends where an uninterrupted run ends. */
class CheckpointResumeTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldResumeToTheSameModelAsAnUninterruptedRun(boolean isPrivate) throws Exception {
        List<Example> examples = SyntheticData.examples(60, 4);
        TrainingOptions options = new TrainingOptions(3, 8, 0.01, 11,
                isPrivate ? new TrainingOptions.Privacy(1.0, 1.0, 8.0 / 36, 5, null, 5.0) : null);

        List<Checkpoint> checkpoints = new ArrayList<>();
        TrainingResult straight = new MultimodalTrainer().train(examples, LABELS, options, new TrainingListener() {
            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                checkpoints.add(checkpoint);
            }
        });
        assertThat(checkpoints).extracting(Checkpoint::epoch).containsExactly(1, 2, 3);

        // as if the worker died during epoch 2: a fresh trainer carries on from the stored bytes of epoch 1
        Checkpoint afterOne = Checkpoint.fromBytes(checkpoints.get(0).toBytes());
        List<Integer> epochsRun = new ArrayList<>();
        TrainingResult resumed = new MultimodalTrainer().train(examples, LABELS, options, new TrainingListener() {
            @Override
            public void onEpoch(int epoch, int epochs, long step, long steps, double loss, double validationAccuracy) {
                epochsRun.add(epoch);
            }
        }, afterOne);

        assertThat(epochsRun).containsExactly(2, 3);
        assertThat(resumed.artifact().textParameters()).isEqualTo(straight.artifact().textParameters());
        assertThat(resumed.artifact().imageParameters()).isEqualTo(straight.artifact().imageParameters());
        assertThat(resumed.alpha()).isEqualTo(straight.alpha());
        if (isPrivate) {
            assertThat(checkpoints.get(0).privateSteps()).isEqualTo(5);
            assertThat(checkpoints.get(0).header().secret()).hasSize(32);
            assertThat(resumed.privacy().steps()).isEqualTo(15);
        }
    }
}
