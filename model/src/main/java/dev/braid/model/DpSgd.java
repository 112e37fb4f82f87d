package dev.braid.model;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The parts of a DP-SGD step that touch the gradients: per-example norms over both branches, and
 * the clipped, noised, averaged sum that replaces the gradient. The step itself, which takes the
 * per-example gradients in one backward pass, is {@link MultimodalTrainer}'s.
 */
final class DpSgd {

    private DpSgd() {
    }

    /** The gradients the leaves collected. */
    static NDList gradients(NDList leaves) {
        NDList gradients = new NDList();
        for (NDArray leaf : leaves) {
            gradients.add(leaf.getGradient());
        }
        return gradients;
    }

    /** Adds each example's squared gradient norm over these (per-example) gradients to what {@code squared} holds for it. */
    static void addSquaredNorms(IdentityHashMap<TrainingItem, Double> squared, List<TrainingItem> examples, NDList perExample) {
        if (perExample == null) {
            return;
        }
        double[] sums = new double[examples.size()];
        for (NDArray g : perExample) {
            float[] norms = g.reshape(examples.size(), -1).square().sum(new int[] {1}).toFloatArray();
            for (int i = 0; i < sums.length; i++) {
                sums[i] += norms[i];
            }
        }
        for (int i = 0; i < sums.length; i++) {
            squared.merge(examples.get(i), sums[i], Double::sum);
        }
    }

    /**
     * The branch's update: each example's gradient scaled to at most C (its norm over both
     * branches, from {@code squared}), summed, plus N(0, σ²C²) on every coordinate, over the
     * expected batch size. Null for a branch the model does not have. An example whose gradient
     * is not finite (its norm is not) contributes nothing: a zero vector is within the bound C,
     * so the update stays the Gaussian mechanism the accountant charges, whatever the example.
     */
    static NDList noisyClippedSum(NDManager scope, NDList params, List<TrainingItem> examples, NDList perExample,
            IdentityHashMap<TrainingItem, Double> squared, RandomGenerator noise, double expectedBatch, TrainingOptions.Privacy p) {
        if (params == null) {
            return null;
        }
        double clip = p.maxGradNorm();
        NDArray factors = null;
        boolean dropped = false;
        if (perExample != null) {
            float[] scale = new float[examples.size()];
            for (int i = 0; i < scale.length; i++) {
                double norm = Math.sqrt(squared.get(examples.get(i)));
                scale[i] = Double.isFinite(norm) ? (float) Math.min(1, clip / (norm + 1e-6)) : 0f;
                dropped |= !Double.isFinite(norm);
            }
            factors = scope.create(scale);
        }
        NDList update = new NDList();
        double std = p.noiseMultiplier() * clip;
        for (int k = 0; k < params.size(); k++) {
            Shape shape = params.get(k).getShape();
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (noise.nextGaussian() * std);
            }
            NDArray sum = scope.create(values, shape);
            if (perExample != null) {
                NDArray g = perExample.get(k);
                if (dropped) {
                    // 0 × NaN is NaN: the dropped examples' values go to 0 before their factor of 0 applies
                    g = NDArrays.where(g.isNaN().logicalOr(g.isInfinite()), g.zerosLike(), g);
                }
                long[] broadcast = new long[g.getShape().dimension()];
                Arrays.fill(broadcast, 1);
                broadcast[0] = examples.size();
                sum.addi(g.mul(factors.reshape(broadcast)).sum(new int[] {0}));
            }
            update.add(sum.divi(expectedBatch));
        }
        return update;
    }
}
