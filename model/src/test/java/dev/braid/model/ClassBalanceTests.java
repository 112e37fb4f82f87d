package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Balanced class weights: a rare class weighs as much as a common one. Texts of three kinds: clearly
 * "a" (600), clearly "b" (40), and unclear ones that are "a" 70 times in 100. Fitted to the data as
 * it is, an unclear text is "a" (0.7 against 0.3); with each class weighted n / (k · n_c), "b"'s
 * 30 weigh 30 × 740 / 140 ≈ 159 against "a"'s 70 × 740 / 1,340 ≈ 39, so it is "b".
 */
class ClassBalanceTests {

    private static final List<String> LABELS = List.of("a", "b");

    @Test
    void shouldWeightARareClassAsMuchAsACommonOneWhenAsked() throws Exception {
        List<Example> examples = new ArrayList<>();
        add(examples, "a clear case of the first kind", 0, 600, Example.Split.TRAIN);
        add(examples, "a clear case of the second kind", 1, 40, Example.Split.TRAIN);
        add(examples, "hard to say which kind this is", 0, 70, Example.Split.TRAIN);
        add(examples, "hard to say which kind this is", 1, 30, Example.Split.TRAIN);
        add(examples, "a clear case of the first kind", 0, 5, Example.Split.VALIDATION);
        add(examples, "a clear case of the second kind", 1, 5, Example.Split.VALIDATION);

        TrainingResult plain = train(examples, false);
        TrainingResult balanced = train(examples, true);

        assertThat(plain.schedule().classWeights()).isNull();
        assertThat(balanced.schedule().classWeights()).hasSize(2);
        assertThat(balanced.schedule().classWeights().get(0)).isCloseTo(740.0 / (2 * 670), within(1e-12));
        assertThat(balanced.schedule().classWeights().get(1)).isCloseTo(740.0 / (2 * 70), within(1e-12));
        assertThat(predict(plain, "hard to say which kind this is")).isEqualTo("a");
        assertThat(predict(balanced, "hard to say which kind this is")).isEqualTo("b");
        assertThat(predict(balanced, "a clear case of the first kind")).isEqualTo("a");
    }

    @Test
    void shouldRefuseToBalanceAPrivateRun() {
        assertThatThrownBy(() -> new TrainingOptions(2, 16, 0.1, 0.001, 0, 3, new TrainingOptions.Privacy(1.0, 1.0, 0.5, 2, null, 0),
                true, false, null, true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class counts");
    }

    private static TrainingResult train(List<Example> examples, boolean balanced) {
        return new MultimodalTrainer().train(examples, LABELS, new TrainingOptions(20, 32, 0.03, 0.001, 0, 3, null, true, false, null,
                balanced), TrainingListener.NONE);
    }

    private static String predict(TrainingResult result, String text) throws Exception {
        try (FusedClassifier classifier = FusedClassifier.load(result.artifact())) {
            return classifier.predict(List.of(new FusedClassifier.Input(text, null))).get(0).label();
        }
    }

    private static void add(List<Example> examples, String text, int label, int count, Example.Split split) {
        for (int i = 0; i < count; i++) {
            examples.add(new Example(text, null, label, split));
        }
    }
}
