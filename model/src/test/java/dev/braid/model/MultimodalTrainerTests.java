package dev.braid.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultimodalTrainerTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    @Test
    void shouldFuseBranchesThatEachCarryPartOfTheSignal() throws Exception {
        TrainingResult result = new MultimodalTrainer().train(SyntheticData.examples(200, 1), LABELS,
                new TrainingOptions(15, 16, 0.01, 7), TrainingListener.NONE);

        assertThat(result.fused().accuracy()).isGreaterThan(0.9);
        assertThat(result.text().accuracy()).isLessThan(0.7);
        assertThat(result.image().accuracy()).isLessThan(0.7);
        assertThat(result.alpha()).isBetween(0.05, 0.95);

        try (FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(result.artifact().toBytes()))) {
            List<Example> fresh = SyntheticData.examples(40, 99);
            List<Prediction> predictions = classifier.predict(fresh.stream()
                    .map(e -> new FusedClassifier.Input(e.text(), e.image())).toList());
            long correct = java.util.stream.IntStream.range(0, fresh.size())
                    .filter(i -> predictions.get(i).label().equals(LABELS.get(fresh.get(i).label()))).count();
            assertThat(correct).as("fused predictions right on fresh records").isGreaterThanOrEqualTo(36);

            Example probe = fresh.get(2);
            Prediction both = predictions.get(2);
            assertThat(both.text()).isNotNull();
            assertThat(both.image()).isNotNull();
            assertThat(both.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-4));

            Prediction textOnly = classifier.predict(List.of(new FusedClassifier.Input(probe.text(), null))).get(0);
            assertThat(textOnly.image()).isNull();
            assertThat(textOnly.label()).as("text alone tells beta").isIn("red-beta", "blue-beta");
            assertThat(textOnly.probabilities()).isEqualTo(textOnly.text().probabilities());
        }
    }

    @Test
    void shouldStopEachBranchAtItsBestValidationEpochWithTheDefaults() {
        TrainingResult result = new MultimodalTrainer().train(SyntheticData.examples(200, 1), LABELS, TrainingOptions.defaults(7),
                TrainingListener.NONE);
        TrainingResult.Schedule schedule = result.schedule();
        List<EpochSummary> curve = schedule.curve();

        assertThat(result.fused().accuracy()).isGreaterThan(0.9);
        assertThat(schedule.epochs()).as("stopped before the most allowed").isLessThan(TrainingOptions.DEFAULT_MAX_EPOCHS);
        assertThat(curve).extracting(EpochSummary::epoch).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, schedule.epochs()).boxed().toList());
        assertThat(schedule.textLearningRate()).isEqualTo(TrainingOptions.DEFAULT_TEXT_LEARNING_RATE);
        assertThat(schedule.imageLearningRate()).isEqualTo(TrainingOptions.DEFAULT_IMAGE_LEARNING_RATE);
        assertKeptBest(curve, schedule.textEpoch(), EpochSummary::textValidationLoss);
        assertKeptBest(curve, schedule.imageEpoch(), EpochSummary::imageValidationLoss);
    }

    @Test
    void shouldFitTheFrozenTextHeadAgainOnTrainAndValidationForTheEpochsEarlyStoppingKept() throws Exception {
        List<Example> examples = SyntheticData.examples(200, 1);
        TrainingOptions frozen = TrainingOptions.defaults(7).withTextLayers(0);
        TrainingResult result = new MultimodalTrainer().train(examples, LABELS, frozen, TrainingListener.NONE);
        TrainingResult.Schedule schedule = result.schedule();
        long trainAndValidation = examples.stream().filter(e -> e.split() != Example.Split.TEST).count();
        assertThat(schedule.textRefit()).isEqualTo(new TrainingResult.Refit(schedule.textEpoch(), (int) trainAndValidation));

        // the same head, trained as a plain text-only run on train and validation merged, for that many epochs
        List<Example> merged = examples.stream()
                .map(e -> e.split() == Example.Split.VALIDATION ? new Example(e.text(), e.image(), e.label(), Example.Split.TRAIN) : e)
                .toList();
        TrainingResult direct = new MultimodalTrainer().train(merged, LABELS, new TrainingOptions(schedule.textEpoch(), frozen.batchSize(),
                frozen.textLearningRate(), frozen.imageLearningRate(), 0, 7, null, true, false), TrainingListener.NONE);
        assertThat(result.artifact().textParameters()).as("the served text head is the one fit on train and validation")
                .isEqualTo(direct.artifact().textParameters());
        assertThat(result.text().accuracy()).isEqualTo(direct.text().accuracy());
    }

    @Test
    void shouldNotFitTheTextHeadAgainWhenItIsFineTunedOrRunsEveryEpoch() {
        List<Example> examples = SyntheticData.examples(120, 3);
        TrainingOptions everyEpoch = new TrainingOptions(4, 16, 0.01, 7);
        assertThat(new MultimodalTrainer().train(examples, LABELS, everyEpoch, TrainingListener.NONE).schedule().textRefit())
                .as("no early stopping (as in every private run): no epochs were chosen on validation").isNull();
        TrainingOptions d = TrainingOptions.defaults(7);
        TrainingOptions fineTuned = new TrainingOptions(3, d.batchSize(), d.textLearningRate(), d.imageLearningRate(), d.patience(), 7, null,
                true, false, new TrainingOptions.FineTuning(1, 1e-3, 0));
        assertThat(new MultimodalTrainer().train(examples, LABELS, fineTuned, TrainingListener.NONE).schedule().textRefit())
                .as("a fine-tuned encoder is not fit again").isNull();
    }

    @Test
    void shouldStartAPrivateRunsTextHeadFromItsLabelsNames() throws Exception {
        TrainingOptions.Privacy privacy = new TrainingOptions.Privacy(1.0, 1.0, 0.25, 4, null, 0);
        TrainingOptions privateRun = new TrainingOptions(1, 16, 0.03, 0.001, 0, 7, privacy, true, false);
        assertThat(MultimodalTrainer.startsFromLabels(privateRun)).isTrue();
        assertThat(MultimodalTrainer.startsFromLabels(TrainingOptions.defaults(7))).as("a run that is not private starts at random")
                .isFalse();
        List<String> names = List.of("a dog", "a pizza", "a violin", "the flag of France");
        float[][] embeddings = MiniLm.shared().encode(names);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            TrainingState state = TrainingState.fresh(manager, privateRun, names.size(), true, false, new java.util.Random(1), embeddings);
            float[] weights = state.textParams.get(0).toFloatArray();
            for (int c = 0; c < names.size(); c++) {
                for (int d = 0; d < MiniLm.DIMENSIONS; d++) {
                    assertThat(weights[c * MiniLm.DIMENSIONS + d]).isEqualTo(Network.LABEL_PRIOR_SCALE * embeddings[c][d]);
                }
            }
            assertThat(state.textParams.get(1).toFloatArray()).containsOnly(0f);
            // so the head starts as a zero-shot classifier: texts that only paraphrase a label go to it
            List<String> texts = List.of("a puppy playing", "a slice of pepperoni pizza", "a cello and a bow", "the French tricolour");
            float[][] logits = Logits.rows(Network.forward(Network.Kind.TEXT,
                    Network.textBatch(manager, java.util.Arrays.asList(MiniLm.shared().encode(texts)), 0), state.textParams, false));
            for (int i = 0; i < texts.size(); i++) {
                assertThat(Metrics.argmax(logits[i])).as(texts.get(i)).isEqualTo(i);
            }
        }
        // a private run at a rate too small to move it serves the head it started from: its labels' names
        TrainingOptions still = new TrainingOptions(1, 16, 1e-9, 0.001, 0, 7, privacy, true, false);
        TrainingResult result = new MultimodalTrainer(new java.util.Random(3)).train(SyntheticData.examples(80, 2), LABELS, still,
                TrainingListener.NONE);
        assertThat(result.privacy().textStart()).as("the privacy report says where the head started").contains("label names");
        float[][] labelEmbeddings = MiniLm.shared().encode(LABELS);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            float[] served = ai.djl.ndarray.NDList.decode(manager, result.artifact().textParameters()).get(0).toFloatArray();
            for (int c = 0; c < LABELS.size(); c++) {
                for (int d = 0; d < MiniLm.DIMENSIONS; d++) {
                    assertThat(served[c * MiniLm.DIMENSIONS + d]).isCloseTo(Network.LABEL_PRIOR_SCALE * labelEmbeddings[c][d],
                            org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    /** The kept epoch has the lowest validation loss measured, and the branch trained (was measured) until its patience ran out, no longer. */
    private static void assertKeptBest(List<EpochSummary> curve, int kept, java.util.function.Function<EpochSummary, Double> loss) {
        double best = curve.stream().map(loss).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).min().orElseThrow();
        assertThat(loss.apply(curve.get(kept - 1))).isEqualTo(best);
        int lastMeasured = curve.stream().filter(e -> loss.apply(e) != null).mapToInt(EpochSummary::epoch).max().orElseThrow();
        assertThat(lastMeasured).isEqualTo(Math.min(kept + TrainingOptions.DEFAULT_PATIENCE, curve.size()));
        assertThat(curve.subList(0, lastMeasured)).allMatch(e -> loss.apply(e) != null);
    }

    @Test
    void shouldTrainAndServeADatasetWithImagesOnly() throws Exception {
        List<Example> imagesOnly = SyntheticData.examples(80, 5).stream()
                .map(e -> new Example(null, e.image(), e.label(), e.split())).toList();

        TrainingResult result = new MultimodalTrainer().train(imagesOnly, LABELS, new TrainingOptions(3, 16, 0.01, 7),
                TrainingListener.NONE);

        assertThat(result.artifact().hasText()).isFalse();
        assertThat(result.artifact().hasImage()).isTrue();
        assertThat(result.image().examples()).isPositive();
        try (FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(result.artifact().toBytes()))) {
            Prediction p = classifier.predict(List.of(new FusedClassifier.Input(null, imagesOnly.get(0).image()))).get(0);
            assertThat(p.text()).isNull();
            assertThat(p.probabilities()).isEqualTo(p.image().probabilities());
        }
    }

    @Test
    void shouldStopWhenCancelled() {
        TrainingListener cancelAfterThree = new TrainingListener() {
            private long steps;

            @Override
            public void onStep(int epoch, long step, long total) {
                steps = step;
            }

            @Override
            public boolean cancelRequested() {
                return steps >= 3;
            }
        };
        assertThatThrownBy(() -> new MultimodalTrainer().train(SyntheticData.examples(80, 2), LABELS,
                new TrainingOptions(5, 8, 0.01, 1), cancelAfterThree))
                .isInstanceOf(TrainingCancelledException.class)
                .hasMessageContaining("step 3");
    }

    @Test
    void shouldMeasureMacroF1() {
        Metrics metrics = Metrics.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2);
        assertThat(metrics.accuracy()).isEqualTo(0.75);
        // class 0: tp 1, fp 0, fn 1 -> 2/3; class 1: tp 2, fp 1, fn 0 -> 4/5
        assertThat(metrics.macroF1()).isCloseTo((2.0 / 3 + 4.0 / 5) / 2, org.assertj.core.data.Offset.offset(1e-12));
    }
}
