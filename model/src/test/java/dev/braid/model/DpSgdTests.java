package dev.braid.model;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DpSgdTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    @Test
    void shouldLearnUnderModerateNoiseAndReportWhatItRan() {
        List<Example> examples = SyntheticData.examples(400, 21);
        int train = (int) examples.stream().filter(e -> e.split() == Example.Split.TRAIN).count();
        double q = 48.0 / train;
        // a seeded secret, so the noise is the same every run: with a fresh one, bad luck failed a bound here (image 0.35 against 0.37)
        TrainingResult result = new MultimodalTrainer(new java.util.Random(5)).train(examples, LABELS,
                new TrainingOptions(6, 48, 0.05, 3, new TrainingOptions.Privacy(0.8, 1.0, q, 5, null, 2.0)), TrainingListener.NONE);

        assertThat(result.privacy().steps()).isEqualTo(30);
        assertThat(result.privacy().selectionNoiseMultiplier()).isEqualTo(2.0);
        assertThat(result.privacy().alphaMethod()).contains("report-noisy-max");
        assertThat(result.artifact().textTemperature()).as("no unaccounted calibration").isEqualTo(1.0);
        assertThat(result.text()).as("no test metrics released: none were asked to be").isNull();
        assertThat(result.schedule().curve()).as("no validation curve released").isEmpty();
        // measured here, as the model's owner may: each branch can be right on at most about half (it sees half of the
        // label); guessing gets a quarter
        Evaluation.Result measured = Evaluation.of(result.artifact(), test(examples));
        assertThat(measured.text().accuracy()).as("text learned alpha/beta through the noise").isGreaterThan(0.37);
        assertThat(measured.image().accuracy()).as("image learned red/blue through the noise").isGreaterThan(0.37);
        assertThat(measured.fused().accuracy()).isGreaterThan(0.37);
    }

    @Test
    void shouldReleaseNothingOfItsRecordsButWhatItCharges() {
        List<Example> examples = SyntheticData.examples(200, 23);
        List<EpochSummary> epochs = new java.util.ArrayList<>();
        TrainingOptions.Privacy privacy = new TrainingOptions.Privacy(1.0, 1.0, 16.0 / 160, 10, null, 2.0, 4.0, false);
        TrainingResult result = new MultimodalTrainer(new java.util.Random(8)).train(examples, LABELS,
                new TrainingOptions(2, 16, 0.05, 3, privacy), new TrainingListener() {
                    @Override
                    public void onEpoch(EpochSummary summary, int total, long step, long steps) {
                        epochs.add(summary);
                    }
                });

        assertThat(epochs).as("an epoch's end, and nothing measured on the records")
                .containsExactly(EpochSummary.onlyEpoch(1), EpochSummary.onlyEpoch(2));
        assertThat(result.schedule().curve()).isEmpty();
        assertThat(result.privacy().metricsNoiseMultiplier()).isEqualTo(4.0);
        Evaluation.Result exact = Evaluation.of(result.artifact(), test(examples));
        for (Metrics released : List.of(result.text(), result.image(), result.fused())) {
            // two branches and the fused model: six counts, each moved by one record at most, so sensitivity √6
            assertThat(released.countNoise()).isCloseTo(4.0 * Math.sqrt(6), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(released.macroF1()).as("only accuracy and examples are released").isNaN();
            assertThat(released.confusion()).isEmpty();
            assertThat(released.accuracy()).isBetween(0.0, 1.0);
            double[] interval = released.accuracyInterval95();
            assertThat(interval[1] - interval[0]).as("the interval counts the noise").isGreaterThan(0.1);
        }
        assertThat(result.text().examples()).as("a noisy count, near the " + exact.text().examples() + " scored")
                .isBetween(exact.text().examples() - 60, exact.text().examples() + 60).isNotEqualTo(result.fused().examples());
    }

    @Test
    void shouldTrainOnTheValidationSplitTooWhenItChoosesNothingThere() {
        // the train split says only "foo" (label x), the validation split only "bar" (label y): a head trained on train
        // alone has never seen a y
        List<Example> examples = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            examples.add(new Example("foo " + i, null, 0, Example.Split.TRAIN));
            examples.add(new Example("bar " + i, null, 1, Example.Split.VALIDATION));
        }
        for (int i = 0; i < 10; i++) {
            examples.add(new Example("foo " + (100 + i), null, 0, Example.Split.TEST));
            examples.add(new Example("bar " + (100 + i), null, 1, Example.Split.TEST));
        }
        List<String> labels = List.of("x", "y");
        for (boolean onValidation : List.of(false, true)) {
            TrainingOptions.Privacy privacy = new TrainingOptions.Privacy(0.3, 1.0, 1.0, 1, null, 0, 0, onValidation);
            TrainingResult result = new MultimodalTrainer(new java.util.Random(4)).train(examples, labels,
                    new TrainingOptions(30, 16, 0.2, 1e-3, 0, 3, privacy, true, false), TrainingListener.NONE);
            Metrics measured = Evaluation.of(result.artifact(), test(examples)).text();
            if (onValidation) {
                assertThat(measured.recall(1)).as("y learned from the validation split").isGreaterThan(0.8);
            }
            else {
                assertThat(measured.recall(1)).as("no y in the records trained on").isLessThan(0.2);
            }
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new MultimodalTrainer().train(SyntheticData.examples(40, 2),
                LABELS, new TrainingOptions(1, 16, 0.05, 3, new TrainingOptions.Privacy(1.0, 1.0, 0.5, 2, null, 2.0, 0, true)),
                TrainingListener.NONE))).as("α is chosen on validation: it cannot be trained on")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot also train on it");
    }

    @Test
    void shouldKeepTheBranchesAJobAsksForWhateverItsRecordsHold() {
        // no record has an image: a run that dropped the image branch would tell so by its shape and by its metrics' noise
        List<Example> texts = SyntheticData.examples(80, 24).stream()
                .map(e -> new Example(e.text(), null, e.label(), e.split())).toList();
        TrainingResult result = new MultimodalTrainer(new java.util.Random(9)).train(texts, LABELS,
                new TrainingOptions(1, 16, 0.05, 1e-3, 0, 3, new TrainingOptions.Privacy(1.0, 1.0, 0.25, 4, 0.5, 0, 5.0, true),
                        true, true), TrainingListener.NONE);
        assertThat(result.artifact().imageParameters()).as("the image branch the job asked for").isNotNull();
        assertThat(result.fused().countNoise()).as("released as a model of two branches").isCloseTo(5.0 * Math.sqrt(6),
                org.assertj.core.data.Offset.offset(1e-12));
    }

    private static List<Example> test(List<Example> examples) {
        return examples.stream().filter(e -> e.split() == Example.Split.TEST).toList();
    }

    @Test
    void shouldLeaveOutABranchItIsToldToAndHaveNoAlphaToChoose() {
        List<Example> examples = SyntheticData.examples(80, 22);
        TrainingResult result = new MultimodalTrainer(new java.util.Random(6)).train(examples, LABELS,
                new TrainingOptions(2, 16, 0.05, 1e-3, 0, 3, new TrainingOptions.Privacy(1.0, 1.0, 16.0 / 48, 3, null, 0), true, false),
                TrainingListener.NONE);

        assertThat(result.artifact().imageParameters()).as("no image branch").isNull();
        assertThat(result.artifact().textParameters()).isNotNull();
        assertThat(result.image()).as("no test metrics released").isNull();
        assertThat(result.schedule().imageLearningRate()).isNull();
        assertThat(result.privacy().selectionNoiseMultiplier()).as("nothing spent on α").isNull();
        assertThat(result.privacy().alphaMethod()).contains("one branch");
        assertThat(result.privacy().steps()).isEqualTo(6);
    }

    @Test
    void shouldRefuseTwoBranchesWithNeitherAnAlphaNorTheNoiseToChooseOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MultimodalTrainer().train(SyntheticData.examples(40, 2), LABELS,
                new TrainingOptions(1, 16, 0.05, 3, new TrainingOptions.Privacy(1.0, 1.0, 0.5, 2, null, 0)), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selection noise multiplier");
    }

    @Test
    void shouldUseAGivenAlphaAndSpendNothingOnChoosingIt() {
        List<Example> examples = SyntheticData.examples(80, 22);
        TrainingResult result = new MultimodalTrainer().train(examples, LABELS,
                new TrainingOptions(1, 16, 0.01, 3, new TrainingOptions.Privacy(1.0, 1.0, 16.0 / 48, 3, 0.3, 0)), TrainingListener.NONE);

        assertThat(result.alpha()).isEqualTo(0.3);
        assertThat(result.privacy().selectionNoiseMultiplier()).isNull();
        assertThat(result.privacy().steps()).isEqualTo(3);
    }

    /**
     * An example whose gradient is not finite contributes nothing to a DP-SGD step: the update is
     * the one the other examples make with the same noise, and finite. Zero is within the bound C,
     * so the step stays the mechanism the accountant charges; before, one NaN made the whole
     * update NaN, and skipping the step would have told whether some example's gradient was not finite.
     */
    @Test
    void shouldLeaveOutAnExampleWhoseGradientIsNotFinite() {
        TrainingOptions.Privacy p = new TrainingOptions.Privacy(1.0, 1.0, 0.5, 2, null, 0);
        float[][] weights = {{0.3f, -2f, 0.5f, 1f, 0f, 4f}, {Float.NaN, 1f, 2f, Float.POSITIVE_INFINITY, 0f, 1f}, {-1f, 0.2f, 0f, 0f, 3f, 1f}};
        float[][] biases = {{0.1f, -0.4f}, {0.5f, 0.5f}, {2f, -1f}};
        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            NDList params = new NDList(manager.zeros(new Shape(2, 3)), manager.zeros(new Shape(2)));
            List<TrainingItem> all = List.of(item(), item(), item());
            List<TrainingItem> finite = List.of(all.get(0), all.get(2));

            float[] with = flat(update(manager, params, all, weights, biases, p));
            float[] without = flat(update(manager, params, finite, new float[][] {weights[0], weights[2]},
                    new float[][] {biases[0], biases[2]}, p));

            assertThat(with).isEqualTo(without);
            for (float v : with) {
                assertThat(v).isFinite();
            }
        }
    }

    private static NDList update(NDManager manager, NDList params, List<TrainingItem> examples, float[][] weights, float[][] biases,
            TrainingOptions.Privacy p) {
        int n = examples.size();
        float[] w = new float[n * 6];
        float[] b = new float[n * 2];
        for (int i = 0; i < n; i++) {
            System.arraycopy(weights[i], 0, w, i * 6, 6);
            System.arraycopy(biases[i], 0, b, i * 2, 2);
        }
        NDList perExample = new NDList(manager.create(w, new Shape(n, 2, 3)), manager.create(b, new Shape(n, 2)));
        IdentityHashMap<TrainingItem, Double> squared = new IdentityHashMap<>();
        DpSgd.addSquaredNorms(squared, examples, perExample);
        // the same noise for both: drawn from the same seed, 8 values
        return DpSgd.noisyClippedSum(manager, params, examples, perExample, squared, new SplittableRandom(9), 2.0, p);
    }

    private static TrainingItem item() {
        return new TrainingItem(new Example("text", null, 0, Example.Split.TRAIN), null, null);
    }

    private static float[] flat(NDList arrays) {
        float[] all = new float[8];
        int at = 0;
        for (NDArray a : arrays) {
            float[] values = a.toFloatArray();
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        return all;
    }
}
