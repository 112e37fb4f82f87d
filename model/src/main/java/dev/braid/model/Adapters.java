package dev.braid.model;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on the query and value projections of MiniLM's top
 * layers: a projection {@code x·W} becomes {@code x·W + s·(x·D)·U} with {@code D} (384 × r) and
 * {@code U} (r × 384) trained and {@code W} frozen. {@code U} starts at zero, so an untrained
 * adapter leaves the pretrained encoder exactly as it was. Four arrays per adapted layer, in
 * layer order: query D, query U, value D, value U; with a leading batch axis in per-example mode
 * (DP-SGD), where each example runs through its own copy by batched matrix products.
 */
final class Adapters {

    static final int RANK = 8;
    /** LoRA's α / r with the paper's usual α = 16. */
    private static final float SCALE = 16f / RANK;
    private static final int PER_LAYER = 4;

    private final NDList params;
    private final int from;

    /** The adapters of layers {@code from} … 5, {@link #PER_LAYER} arrays each. */
    Adapters(NDList params, int from) {
        this.params = params;
        this.from = from;
    }

    static List<Shape> shapes(int layers) {
        List<Shape> shapes = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (int projection = 0; projection < 2; projection++) {
                shapes.add(new Shape(MiniLm.DIMENSIONS, RANK));
                shapes.add(new Shape(RANK, MiniLm.DIMENSIONS));
            }
        }
        return shapes;
    }

    /** Fresh adapters for the top {@code layers} layers: D uniform in ±1/√384, U zero. */
    static NDList initialise(int layers, NDManager manager, RandomGenerator random) {
        NDList params = new NDList();
        double bound = 1 / Math.sqrt(MiniLm.DIMENSIONS);
        for (Shape shape : shapes(layers)) {
            float[] values = new float[(int) shape.size()];
            if (shape.get(0) == MiniLm.DIMENSIONS) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
            params.add(manager.create(values, shape));
        }
        return params;
    }

    boolean covers(int layer) {
        return layer >= from && layer < from + params.size() / PER_LAYER;
    }

    NDArray query(NDArray x, int layer, boolean perExample) {
        int at = (layer - from) * PER_LAYER;
        return lowRank(x, params.get(at), params.get(at + 1), perExample);
    }

    NDArray value(NDArray x, int layer, boolean perExample) {
        int at = (layer - from) * PER_LAYER + 2;
        return lowRank(x, params.get(at), params.get(at + 1), perExample);
    }

    private static NDArray lowRank(NDArray x, NDArray down, NDArray up, boolean perExample) {
        // x (B, T, 384); per example, D (B, 384, r) and U (B, r, 384). Shared adapters are
        // copied to the batch too: x·D as one (B·T × 384)·(384 × r) product would take D's
        // gradient from one product summed over all B·T tokens, which MKL splits across threads
        // and adds up in no fixed order (measured: no two runs alike); per example, each product
        // sums over its own tokens and the copies' backward adds the B results in order. Copies,
        // not broadcast views: with both factors broadcast (stride 0 on the batch axis), PyTorch
        // 2.7.1's CPU backward of the two batched products now and then returned garbage for the
        // adapters' gradients, finite or NaN (the same fine-tuning step computed 1,800 times: 4
        // times wrong, up to 10³⁶ off; with copies, once NaN in 30,000: docs/results.md, "Reproducibility")
        if (!perExample) {
            long batch = x.getShape().get(0);
            down = down.expandDims(0).repeat(0, batch);
            up = up.expandDims(0).repeat(0, batch);
        }
        return x.batchMatMul(down).batchMatMul(up).mul(SCALE);
    }
}
