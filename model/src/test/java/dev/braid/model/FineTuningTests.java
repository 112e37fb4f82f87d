package dev.braid.model;

import java.util.List;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The text encoder fine-tuned with low-rank adapters: what the run trains, what it chooses and what serving makes of it. */
class FineTuningTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    private static TrainingOptions textOnly(TrainingOptions.FineTuning fineTuning) {
        return new TrainingOptions(4, 16, 0.01, 0.001, 0, 3, null, true, false, fineTuning);
    }

    @Test
    void shouldTrainTheAdaptersAndServeTheModelAsTheRunMeasuredIt() throws Exception {
        List<Example> examples = SyntheticData.examples(120, 8);
        TrainingResult result = new MultimodalTrainer().train(examples, LABELS, textOnly(new TrainingOptions.FineTuning(2, 3e-3, 0)),
                TrainingListener.NONE);

        assertThat(result.schedule().fineTuning()).isEqualTo(new TrainingResult.FineTuned(2, Adapters.RANK, 3e-3));
        try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
            NDList params = NDList.decode(manager, result.artifact().textParameters());
            assertThat(params).hasSize(2 + 2 * 4);
            for (int up = 3; up < params.size(); up += 2) {
                NDArray u = params.get(up);
                assertThat(u.abs().max().getFloat()).as("adapter U %d moved from its zero start", up).isGreaterThan(0f);
            }
        }

        List<Example> test = examples.stream().filter(e -> e.split() == Example.Split.TEST).toList();
        try (FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(result.artifact().toBytes()))) {
            List<Prediction> predictions = classifier.predict(test.stream().map(e -> new FusedClassifier.Input(e.text(), null)).toList());
            int[] served = predictions.stream().mapToInt(p -> LABELS.indexOf(p.label())).toArray();
            Metrics servedMetrics = Metrics.of(test.stream().mapToInt(Example::label).toArray(), served, LABELS.size());
            assertThat(servedMetrics.accuracy()).as("serving predicts the test split as the run scored it")
                    .isEqualTo(result.text().accuracy());
            assertThat(result.text().accuracy()).as("the text tells alpha from beta: about half the labels").isGreaterThan(0.4);
        }
    }

    @Test
    void shouldFineTuneOnlyAsManyLayersAsTheBudgetAllows() {
        List<Example> examples = SyntheticData.examples(40, 9);
        long tokens = IntStream.range(0, examples.size()).filter(i -> examples.get(i).split() == Example.Split.TRAIN)
                .mapToLong(i -> MiniLm.shared().tokens(List.of(examples.get(i).text()))[0].length).sum();

        TrainingResult two = new MultimodalTrainer().train(examples, LABELS,
                textOnly(new TrainingOptions.FineTuning(6, 1e-3, 2 * tokens + tokens / 2)), TrainingListener.NONE);
        TrainingResult none = new MultimodalTrainer().train(examples, LABELS,
                textOnly(new TrainingOptions.FineTuning(6, 1e-3, tokens - 1)), TrainingListener.NONE);

        assertThat(two.schedule().fineTuning().layers()).isEqualTo(2);
        assertThat(none.schedule().fineTuning()).as("not even one layer fits: the encoder stays frozen").isNull();
        assertThat(new TrainingOptions.FineTuning(6, 1e-3, 0).layersFor(tokens)).as("no budget: every layer asked for").isEqualTo(6);
    }

    @Test
    void shouldResumeWithTheLayersTheRunChoseWhenItStarted() throws Exception {
        List<Example> examples = SyntheticData.examples(40, 10);
        List<Checkpoint> checkpoints = new java.util.ArrayList<>();
        TrainingResult straight = new MultimodalTrainer().train(examples, LABELS, textOnly(new TrainingOptions.FineTuning(2, 1e-3, 1_000_000)),
                new TrainingListener() {
                    @Override
                    public void onCheckpoint(Checkpoint checkpoint) {
                        checkpoints.add(checkpoint);
                    }
                });

        // the budget a restarted worker reads now would choose no layer at all; the run carries on with the two it chose
        TrainingResult resumed = new MultimodalTrainer().train(examples, LABELS, textOnly(new TrainingOptions.FineTuning(2, 1e-3, 1)),
                TrainingListener.NONE, Checkpoint.fromBytes(checkpoints.get(1).toBytes()));

        assertThat(straight.schedule().fineTuning().layers()).isEqualTo(2);
        assertThat(resumed.schedule().fineTuning().layers()).isEqualTo(2);
        assertThat(resumed.artifact().textParameters()).isEqualTo(straight.artifact().textParameters());
    }

    @Test
    void shouldKeepTheTokenStatesItCachesBounded() {
        List<Example> examples = SyntheticData.examples(40, 11);
        long tokens = examples.stream().mapToLong(e -> MiniLm.shared().tokens(List.of(e.text()))[0].length).sum();
        MultimodalTrainer bounded = new MultimodalTrainer(new java.util.Random(1), tokens - 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bounded.train(examples, LABELS,
                textOnly(new TrainingOptions.FineTuning(2, 1e-3, 0)), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tokens + " tokens").hasMessageContaining("fineTuneText false");
        TrainingResult chosen = bounded.train(examples, LABELS, textOnly(new TrainingOptions.FineTuning(2, 1e-3, 1_000_000)),
                TrainingListener.NONE);
        assertThat(chosen.schedule().fineTuning()).as("left to the trainer: the encoder stays frozen").isNull();
        assertThat(new MultimodalTrainer(new java.util.Random(1), tokens).train(examples, LABELS,
                textOnly(new TrainingOptions.FineTuning(2, 1e-3, 0)), TrainingListener.NONE).schedule().fineTuning().layers())
                .as("exactly at the bound").isEqualTo(2);
    }

    @Test
    void shouldNotLetAPrivateRunChooseItsLayersByTheSizeOfItsData() {
        TrainingOptions.Privacy privacy = new TrainingOptions.Privacy(1.0, 1.0, 0.1, 10, null, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrainingOptions(2, 16, 0.1, 0.001, 0, 3, privacy, true, false,
                new TrainingOptions.FineTuning(6, 5e-3, 1000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not accounted for");
        assertThat(TrainingOptions.fineTuning(null, true)).as("a private job's default: frozen").isNull();
        assertThat(TrainingOptions.fineTuning(true, true).budget()).as("asked for: every layer, no choice made from the data")
                .isZero();
    }
}
