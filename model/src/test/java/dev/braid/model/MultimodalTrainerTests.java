package dev.braid.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultimodalTrainerTests {

    private static final List<String> LABELS = List.of("red-alpha", "blue-alpha", "red-beta", "blue-beta");

    /** Text tells alpha from beta, the image tells red from blue: only both together tell the label. */
    static List<Example> splitSignal(int n, long seed) {
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>();
        String[] filler = {"please", "help", "with", "this", "thing", "today", "again", "now"};
        for (int i = 0; i < n; i++) {
            int label = i % 4;
            String word = label < 2 ? "alpha" : "beta";
            String text = filler[random.nextInt(filler.length)] + " " + word + " " + filler[random.nextInt(filler.length)];
            Color color = label % 2 == 0 ? new Color(200 + random.nextInt(55), random.nextInt(60), random.nextInt(60))
                    : new Color(random.nextInt(60), random.nextInt(60), 200 + random.nextInt(55));
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(color);
            g.fillRect(0, 0, 16, 16);
            g.dispose();
            Example.Split split = i % 10 < 6 ? Example.Split.TRAIN : i % 10 < 8 ? Example.Split.VALIDATION : Example.Split.TEST;
            examples.add(new Example(text, image, label, split));
        }
        return examples;
    }

    @Test
    void shouldFuseBranchesThatEachCarryPartOfTheSignal() throws Exception {
        TrainingResult result = new MultimodalTrainer().train(splitSignal(200, 1), LABELS,
                new TrainingOptions(15, 16, 0.01, 7), TrainingListener.NONE);

        assertThat(result.fused().accuracy()).isGreaterThan(0.9);
        assertThat(result.text().accuracy()).isLessThan(0.7);
        assertThat(result.image().accuracy()).isLessThan(0.7);
        assertThat(result.alpha()).isBetween(0.05, 0.95);

        try (FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(result.artifact().toBytes()))) {
            Example probe = splitSignal(4, 99).get(2);
            Prediction both = classifier.predict(List.of(new FusedClassifier.Input(probe.text(), probe.image()))).get(0);
            assertThat(both.label()).isEqualTo("red-beta");
            assertThat(both.text()).isNotNull();
            assertThat(both.image()).isNotNull();
            assertThat(both.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-4));

            Prediction textOnly = classifier.predict(List.of(new FusedClassifier.Input(probe.text(), null))).get(0);
            assertThat(textOnly.image()).isNull();
            assertThat(textOnly.label()).isIn("red-beta", "blue-beta");
            assertThat(textOnly.probabilities()).isEqualTo(textOnly.text().probabilities());
        }
    }

    @Test
    void shouldStopWhenCancelled() {
        TrainingListener cancelAfterThree = new TrainingListener() {
            private int steps;

            @Override
            public void onStep(int epoch, int step, int total) {
                steps = step;
            }

            @Override
            public boolean cancelRequested() {
                return steps >= 3;
            }
        };
        assertThatThrownBy(() -> new MultimodalTrainer().train(splitSignal(80, 2), LABELS,
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
