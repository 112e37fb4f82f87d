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
import ai.djl.nn.norm.LayerNorm;
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
 * linear layer over the 1,024 features: about 10 M multiply-adds per image, which keeps serving cheap on a CPU.
 * Each convolution is group-normalised (groups of 4 channels, at most 8 groups, a learnt scale and
 * shift per channel) before its ReLU. Not batch normalisation: its statistics mix examples, which
 * per-example gradients (DP-SGD) cannot have; a group's statistics are one example's own.
 * Version 3 networks, trained before group normalisation, have none and are still served.
 *
 * <p>Per-example mode ({@code perExample = true}) takes every parameter with a leading batch
 * axis, one copy per example, and runs each example through its own copy (batched matrix
 * products, grouped convolutions). The gradient of the summed loss with respect to those copies
 * is then each example's own gradient, in one backward pass.
 */
final class Network {

    /**
     * The version of the networks this build trains, bumped whenever one changes shape, so an
     * artifact or checkpoint is read as the network it was made for, or refused. Version 4 added
     * the image network's group normalisation; the text network is the same in both.
     */
    static final int VERSION = 4;
    /** The oldest version still read: 3, an image network without group normalisation. */
    static final int OLDEST_VERSION = 3;

    private static final int[][] CONVOLUTIONS = {{3, 16, 2}, {16, 32, 1}, {32, 64, 1}}; // in, out, stride
    private static final int FEATURES = 64 * 4 * 4;
    /** A version 3 image network's parameters: weight and bias of three convolutions and the classifier. */
    private static final int UNNORMALISED_IMAGE_PARAMETERS = 2 * CONVOLUTIONS.length + 2;
    private static final int MAX_GROUPS = 8;
    private static final int GROUP_CHANNELS = 4;
    private static final float NORM_EPSILON = 1e-5f;

    enum Kind { TEXT, IMAGE }

    private Network() {
    }

    /** The parameter shapes of this build's network: {@link #shapes(Kind, int, int, int)} at {@link #VERSION}. */
    static List<Shape> shapes(Kind kind, int classes, int textLayers) {
        return shapes(kind, classes, textLayers, VERSION);
    }

    /**
     * The parameter shapes of a network of {@code version}, in the order forward takes them: weight,
     * bias per layer; for text, then the adapters of the top {@code textLayers} encoder layers (0:
     * frozen encoder); for images from version 4, then each convolution's normalisation scale and shift.
     */
    static List<Shape> shapes(Kind kind, int classes, int textLayers, int version) {
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new IllegalArgumentException("network version " + version + " is not supported (this build reads "
                    + OLDEST_VERSION + " to " + VERSION + ")");
        }
        List<Shape> shapes = new ArrayList<>();
        if (kind == Kind.TEXT) {
            shapes.addAll(List.of(new Shape(classes, MiniLm.DIMENSIONS), new Shape(classes)));
            shapes.addAll(Adapters.shapes(textLayers));
            return shapes;
        }
        for (int[] c : CONVOLUTIONS) {
            shapes.add(new Shape(c[1], c[0], 3, 3));
            shapes.add(new Shape(c[1]));
        }
        shapes.add(new Shape(classes, FEATURES));
        shapes.add(new Shape(classes));
        if (version >= 4) {
            for (int[] c : CONVOLUTIONS) {
                shapes.add(new Shape(c[1]));
                shapes.add(new Shape(c[1]));
            }
        }
        return shapes;
    }

    /** The version of the network these image parameters (null: none) belong to: the text network is the same in every version. */
    static int version(NDList imageParams) {
        return imageParams == null || imageParams.size() != UNNORMALISED_IMAGE_PARAMETERS ? VERSION : OLDEST_VERSION;
    }

    /**
     * Fresh parameters of this build's network: weights and biases uniform in ±1/√fan-in, as PyTorch
     * initialises linear and convolution layers; normalisation scales 1 and shifts 0; adapters as
     * {@link Adapters#initialise} makes them.
     */
    static NDList initialise(Kind kind, int classes, int textLayers, NDManager manager, RandomGenerator random) {
        NDList params = new NDList();
        List<Shape> shapes = shapes(kind, classes, 0);
        int weighted = kind == Kind.TEXT ? shapes.size() : UNNORMALISED_IMAGE_PARAMETERS;
        for (int i = 0; i < weighted; i += 2) {
            Shape weight = shapes.get(i);
            long fanIn = weight.size() / weight.get(0);
            double bound = 1 / Math.sqrt(fanIn);
            params.add(uniform(manager, weight, bound, random));
            params.add(uniform(manager, shapes.get(i + 1), bound, random));
        }
        if (kind == Kind.TEXT) {
            params.addAll(Adapters.initialise(textLayers, manager, random));
        }
        else {
            for (int[] c : CONVOLUTIONS) {
                params.add(manager.ones(new Shape(c[1])));
                params.add(manager.zeros(new Shape(c[1])));
            }
        }
        return params;
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
        boolean normalised = p.size() > UNNORMALISED_IMAGE_PARAMETERS;
        for (int layer = 0; layer < CONVOLUTIONS.length; layer++) {
            int stride = CONVOLUTIONS[layer][2];
            h = convolution(h, p.get(2 * layer), p.get(2 * layer + 1), stride, perExample);
            if (normalised) {
                int at = UNNORMALISED_IMAGE_PARAMETERS + 2 * layer;
                h = groupNorm(h, p.get(at), p.get(at + 1), perExample);
            }
            h = Activation.relu(h);
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

    /**
     * Group normalisation of (batch × channels × h × w): each example's channels in groups of
     * {@link #GROUP_CHANNELS} (at most {@link #MAX_GROUPS} groups) normalised to mean 0 and
     * variance 1 over the group's values (PyTorch's layer norm on the group, one native op), then
     * scaled and shifted per channel.
     */
    private static NDArray groupNorm(NDArray x, NDArray scale, NDArray shift, boolean perExample) {
        Shape in = x.getShape();
        long batch = in.get(0);
        long channels = in.get(1);
        long groups = Math.min(MAX_GROUPS, channels / GROUP_CHANNELS);
        long size = in.size() / batch / groups;
        NDManager manager = x.getManager();
        NDArray normalised = LayerNorm.layerNorm(x.reshape(batch, groups, size), new Shape(size), manager.ones(new Shape(size)),
                manager.zeros(new Shape(size)), NORM_EPSILON).singletonOrThrow().reshape(in);
        Shape perChannel = perExample ? new Shape(batch, channels, 1, 1) : new Shape(1, channels, 1, 1);
        return normalised.mul(scale.reshape(perChannel)).add(shift.reshape(perChannel));
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
