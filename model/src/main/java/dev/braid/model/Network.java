package dev.braid.model;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The two trainable networks, written as functions of their parameters so that training,
 * DP-SGD and serving share one definition.
 *
 * <p>Text head: a linear layer, 384 → classes, over the MiniLM sentence embedding (sentence
 * embeddings are made to be read linearly; a hidden layer of 128 added ~50 k parameters, which
 * under DP-SGD's per-coordinate noise cost far more accuracy than it bought without it). With the
 * encoder frozen its input is the embedding; fine-tuned, its parameters go on with the
 * {@link Adapters} of MiniLM's top layers, and its input is the token states below those layers
 * with their attention mask.
 * Image network for 64×64 RGB: a strided 3×3 stem (16 filters, to 32×32), 3×3 convolutions of
 * 32 and 64 filters each followed by 2×2 max pooling, one more 2×2 max pooling to 4×4, then a
 * linear layer over the 1,024 features: about 10 M multiply-adds per image, which keeps serving cheap on a CPU. No batch
 * normalisation: its statistics mix examples, which per-example gradients (DP-SGD) cannot have.
 *
 * <p>Per-example mode ({@code perExample = true}) takes every parameter with a leading batch
 * axis, one copy per example, and runs each example through its own copy (batched matrix
 * products, grouped convolutions). The gradient of the summed loss with respect to those copies
 * is then each example's own gradient, in one backward pass.
 */
final class Network {

    /** Bumped whenever a network changes shape, so an old artifact is refused rather than misread. */
    static final int VERSION = 3;

    private static final int[][] CONVOLUTIONS = {{3, 16, 2}, {16, 32, 1}, {32, 64, 1}}; // in, out, stride
    private static final int FEATURES = 64 * 4 * 4;

    enum Kind { TEXT, IMAGE }

    private Network() {
    }

    /**
     * The parameter shapes of a network, in the order forward takes them: weight, bias per layer;
     * for text, then the adapters of the top {@code textLayers} encoder layers (0: frozen encoder).
     */
    static List<Shape> shapes(Kind kind, int classes, int textLayers) {
        if (kind == Kind.TEXT) {
            List<Shape> shapes = new ArrayList<>(List.of(new Shape(classes, MiniLm.DIMENSIONS), new Shape(classes)));
            shapes.addAll(Adapters.shapes(textLayers));
            return shapes;
        }
        return List.of(new Shape(16, 3, 3, 3), new Shape(16), new Shape(32, 16, 3, 3), new Shape(32),
                new Shape(64, 32, 3, 3), new Shape(64), new Shape(classes, FEATURES), new Shape(classes));
    }

    /**
     * Fresh parameters: uniform in ±1/√fan-in, as PyTorch initialises linear and convolution
     * layers; adapters as {@link Adapters#initialise} makes them.
     */
    static NDList initialise(Kind kind, int classes, int textLayers, NDManager manager, RandomGenerator random) {
        NDList params = new NDList();
        List<Shape> shapes = shapes(kind, classes, 0);
        for (int i = 0; i < shapes.size(); i += 2) {
            Shape weight = shapes.get(i);
            long fanIn = weight.size() / weight.get(0);
            double bound = 1 / Math.sqrt(fanIn);
            params.add(uniform(manager, weight, bound, random));
            params.add(uniform(manager, shapes.get(i + 1), bound, random));
        }
        if (kind == Kind.TEXT) {
            params.addAll(Adapters.initialise(textLayers, manager, random));
        }
        return params;
    }

    /**
     * How far a text head started from its labels' names trusts them: its logits start as this
     * times the cosine between the text's embedding and each label name's. On emoji at ε = 3
     * (text alone, five noise draws or more each, test accuracy): 10, 0.766; 5, 0.747; 15, 0.752;
     * 30, 0.719 (three draws); the random start, 0.738.
     */
    static final float LABEL_PRIOR_SCALE = 10;

    /**
     * The text head's weights set to {@link #LABEL_PRIOR_SCALE} times each label name's embedding
     * ({@code labelEmbeddings}, one unit-norm row per label) and its bias to 0: a zero-shot
     * classifier by cosine similarity to the label names, for training to start from. The
     * adapters are left as they are (they start as the identity).
     */
    static void startFromLabels(NDList textParams, float[][] labelEmbeddings) {
        float[] weights = new float[labelEmbeddings.length * MiniLm.DIMENSIONS];
        for (int c = 0; c < labelEmbeddings.length; c++) {
            for (int d = 0; d < MiniLm.DIMENSIONS; d++) {
                weights[c * MiniLm.DIMENSIONS + d] = LABEL_PRIOR_SCALE * labelEmbeddings[c][d];
            }
        }
        textParams.get(0).set(weights);
        textParams.get(1).set(new float[labelEmbeddings.length]);
    }

    private static NDArray uniform(NDManager manager, Shape shape, double bound, RandomGenerator random) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return manager.create(values, shape);
    }

    /**
     * Text input: the embeddings as one (batch × 384) array, or, for a fine-tuned encoder, each
     * text's token states below its adapted layers padded into (batch × tokens × 384) with their
     * attention mask.
     */
    static NDList textBatch(NDManager manager, List<float[]> features, int textLayers) {
        if (textLayers > 0) {
            return new NDList(MiniLm.padded(manager, features), MiniLm.mask(manager,
                    features.stream().map(f -> new int[f.length / MiniLm.DIMENSIONS]).toList()));
        }
        float[] all = new float[features.size() * MiniLm.DIMENSIONS];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i), 0, all, i * MiniLm.DIMENSIONS, MiniLm.DIMENSIONS);
        }
        return new NDList(manager.create(all, new Shape(features.size(), MiniLm.DIMENSIONS)));
    }

    /** Image network input: the images' pixels (see {@link ImageFeatures#rgb}) normalised, augmented when {@code augment} is given. */
    static NDList imageBatch(NDManager manager, List<byte[]> pixels, RandomGenerator augment) {
        float[] all = new float[pixels.size() * ImageFeatures.PIXELS];
        for (int i = 0; i < pixels.size(); i++) {
            ImageFeatures.normalise(pixels.get(i), all, i * ImageFeatures.PIXELS, augment);
        }
        return new NDList(manager.create(all, new Shape(pixels.size(), 3, ImageFeatures.SIZE, ImageFeatures.SIZE)));
    }

    /** Logits (batch × classes). */
    static NDArray forward(Kind kind, NDList x, NDList params, boolean perExample) {
        return kind == Kind.TEXT ? text(x, params, perExample) : image(x.singletonOrThrow(), params, perExample);
    }

    /** The number of encoder layers a text branch's parameters fine-tune. */
    static int textLayers(NDList textParams) {
        return (textParams.size() - 2) / Adapters.shapes(1).size();
    }

    private static NDArray text(NDList x, NDList p, boolean perExample) {
        NDArray embedding = x.get(0);
        int layers = textLayers(p);
        if (layers > 0) {
            int from = MiniLm.LAYERS - layers;
            NDArray mask = x.get(1);
            NDArray states = MiniLm.shared().states(embedding, mask, from, MiniLm.LAYERS, new Adapters(p.subNDList(2), from), perExample);
            embedding = MiniLm.pool(states, mask);
        }
        return linear(embedding, p.get(0), p.get(1), perExample);
    }

    private static NDArray image(NDArray x, NDList p, boolean perExample) {
        NDArray h = x;
        for (int layer = 0; layer < CONVOLUTIONS.length; layer++) {
            int stride = CONVOLUTIONS[layer][2];
            h = Activation.relu(convolution(h, p.get(2 * layer), p.get(2 * layer + 1), stride, perExample));
            if (stride == 1) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
        }
        long batch = h.getShape().get(0);
        // 8×8 → 4×4 and flattened: the layout of the image survives to the classifier (global
        // average pooling here lost 10 points of accuracy on Fashion-MNIST)
        h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false).reshape(batch, FEATURES);
        return linear(h, p.get(6), p.get(7), perExample);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias, boolean perExample) {
        if (!perExample) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        // x (B, in) · weightᵀ (B, in, out) → (B, 1, out)
        long batch = x.getShape().get(0);
        return x.expandDims(1).batchMatMul(weight.transpose(0, 2, 1)).reshape(batch, weight.getShape().get(1)).add(bias);
    }

    private static NDArray convolution(NDArray x, NDArray weight, NDArray bias, int stride, boolean perExample) {
        Shape strides = new Shape(stride, stride);
        Shape padding = new Shape(1, 1);
        Shape dilation = new Shape(1, 1);
        if (!perExample) {
            return Conv2d.conv2d(x, weight, bias, strides, padding, dilation, 1).singletonOrThrow();
        }
        Shape in = x.getShape();
        long batch = in.get(0);
        Shape w = weight.getShape(); // (B, out, in, k, k)
        NDArray grouped = Conv2d.conv2d(x.reshape(1, batch * in.get(1), in.get(2), in.get(3)),
                weight.reshape(batch * w.get(1), w.get(2), w.get(3), w.get(4)), bias.reshape(batch * w.get(1)),
                strides, padding, dilation, (int) batch).singletonOrThrow();
        Shape out = grouped.getShape();
        return grouped.reshape(batch, w.get(1), out.get(2), out.get(3));
    }

    /** Summed softmax cross-entropy of each example: a vector of the batch's losses. */
    static NDArray losses(NDArray logits, NDArray labels, int classes) {
        return logits.logSoftmax(1).mul(labels.oneHot(classes)).sum(new int[] {1}).neg();
    }
}
