package dev.braid.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextEncoderTests {

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void shouldPlaceSimilarSentencesCloserThanUnrelatedOnes() {
        float[][] e = TextEncoder.shared().encode(List.of(
                "The cat sits on the mat.", "A kitten is resting on a rug.", "Quarterly revenue grew by eight percent."));

        assertThat(e).hasNumberOfRows(3);
        assertThat(e[0]).hasSize(TextEncoder.DIMENSIONS);
        assertThat(cosine(e[0], e[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(cosine(e[0], e[1])).as("paraphrases").isGreaterThan(cosine(e[0], e[2]) + 0.2);
    }

    @Test
    void shouldEncodeATextTheSameWayWhateverElseIsInTheBatch() {
        String text = "refund for a damaged parcel";
        float[] alone = TextEncoder.shared().encode(List.of(text))[0];
        float[] padded = TextEncoder.shared().encode(List.of("a much longer sentence that forces padding of the shorter one "
                + "in the same batch, well past its length", text))[1];

        assertThat(padded).containsExactly(alone);
        assertThat(TextEncoder.shared().encode(List.of())).isEmpty();
    }
}
