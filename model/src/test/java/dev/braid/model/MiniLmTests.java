package dev.braid.model;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MiniLmTests {

    private static final List<String> TEXTS = List.of("The cat sits on the mat.", "refund for a damaged parcel",
            "grinning face with big eyes", "Quarterly revenue grew by eight percent, well ahead of what analysts expected.", "ok",
            "Ünïcödé, punctuation… and numbers 12345!");

    @Test
    void shouldEmbedAsOnnxRuntimeDoesWithTheSameWeightsAndTokens() throws Exception {
        MiniLm encoder = MiniLm.shared();
        float[][] ours = encoder.encode(TEXTS);
        int[][] tokens = encoder.tokens(TEXTS);

        try (InputStream onnx = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
                Model model = Model.newInstance("minilm-fp32", "OnnxRuntime")) {
            model.load(onnx, Map.of());
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                for (int i = 0; i < TEXTS.size(); i++) {
                    float[] reference = onnxEmbedding(model.getNDManager(), predictor, tokens[i]);
                    assertThat(cosine(ours[i], reference)).as(TEXTS.get(i)).isGreaterThanOrEqualTo(0.9999);
                }
            }
        }
    }

    /** ONNX Runtime's last hidden state for one text alone (no padding), mean-pooled and normalised here. */
    private static float[] onnxEmbedding(NDManager parent, Predictor<NDList, NDList> predictor, int[] tokens) throws Exception {
        try (NDManager manager = parent.newSubManager()) {
            long[] ids = new long[tokens.length];
            long[] ones = new long[tokens.length];
            for (int t = 0; t < tokens.length; t++) {
                ids[t] = tokens[t];
                ones[t] = 1;
            }
            Shape shape = new Shape(1, tokens.length);
            NDArray idArray = manager.create(ids, shape);
            idArray.setName("input_ids");
            NDArray mask = manager.create(ones, shape);
            mask.setName("attention_mask");
            NDArray types = manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64);
            types.setName("token_type_ids");
            float[] states = predictor.predict(new NDList(idArray, mask, types)).get(0).toFloatArray();
            float[] mean = new float[MiniLm.DIMENSIONS];
            for (int t = 0; t < tokens.length; t++) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += states[t * MiniLm.DIMENSIONS + d] / tokens.length;
                }
            }
            double norm = 0;
            for (float v : mean) {
                norm += v * v;
            }
            for (int d = 0; d < mean.length; d++) {
                mean[d] /= (float) Math.sqrt(norm);
            }
            return mean;
        }
    }

    @Test
    void shouldEmbedATextAlikeWhateverElseIsInItsBatch() {
        MiniLm encoder = MiniLm.shared();
        String text = "refund for a damaged parcel";
        float[] alone = encoder.encode(List.of(text))[0];
        List<String> crowd = new ArrayList<>(TEXTS);
        crowd.add(0, "a much longer sentence that forces padding of the shorter one in the same batch, well past its length");
        float[] padded = encoder.encode(crowd)[crowd.indexOf(text)];

        assertThat(cosine(alone, padded)).isGreaterThan(0.99999);
        assertThat(encoder.encode(List.of())).isEmpty();
    }

    @Test
    void shouldPlaceSimilarSentencesCloserThanUnrelatedOnes() {
        float[][] e = MiniLm.shared().encode(List.of("The cat sits on the mat.", "A kitten is resting on a rug.",
                "Quarterly revenue grew by eight percent."));

        assertThat(cosine(e[0], e[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(cosine(e[0], e[1])).as("paraphrases").isGreaterThan(cosine(e[0], e[2]) + 0.2);
    }

    @Test
    void shouldGiveTheFrozenEmbeddingFromStatesBelowTheTopLayersAndUntrainedAdapters() {
        MiniLm encoder = MiniLm.shared();
        int below = 4;
        float[][] states = encoder.statesBelow(TEXTS, below);
        float[][] whole = encoder.encode(TEXTS);

        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            List<float[]> rows = List.of(states);
            NDArray x = MiniLm.padded(manager, rows);
            NDArray mask = lengthsMask(manager, rows);
            Adapters untrained = new Adapters(Adapters.initialise(MiniLm.LAYERS - below, manager, new Random(1)), below);
            float[][] top = Logits.rows(MiniLm.pool(encoder.states(x, mask, below, MiniLm.LAYERS, untrained, false), mask));
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(states[i]).as("one row of states per token").hasSize(encoder.tokens(List.of(TEXTS.get(i)))[0].length
                        * MiniLm.DIMENSIONS);
                assertThat(cosine(top[i], whole[i])).as(TEXTS.get(i)).isGreaterThan(0.99999);
            }
        }
    }

    private static NDArray lengthsMask(NDManager manager, List<float[]> rows) {
        List<int[]> lengths = rows.stream().map(r -> new int[r.length / MiniLm.DIMENSIONS]).toList();
        return MiniLm.mask(manager, lengths);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
