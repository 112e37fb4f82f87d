package dev.braid.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Adam (Kingma & Ba) over a branch's parameters, with its moments as plain arrays so a checkpoint
 * can carry them: DJL's optimisers keep their state private, and a resumed run needs it exactly.
 */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final NDList first;
    private final NDList second;

    Adam(NDList first, NDList second) {
        this.first = first;
        this.second = second;
    }

    static Adam fresh(NDList params) {
        NDList first = new NDList();
        NDList second = new NDList();
        for (NDArray p : params) {
            first.add(p.zerosLike());
            second.add(p.zerosLike());
        }
        return new Adam(first, second);
    }

    NDList first() {
        return first;
    }

    NDList second() {
        return second;
    }

    /**
     * One update at step {@code t} (1-based), in place. Every temporary array is derived from a
     * gradient, so it lives in the caller's per-step scope and is freed with it; the parameters
     * and moments only change in place.
     */
    void update(NDList params, NDList gradients, double learningRate, long t) {
        update(params, gradients, i -> learningRate, t);
    }

    /** As {@link #update(NDList, NDList, double, long)}, parameter {@code i} at {@code learningRate.applyAsDouble(i)}. */
    void update(NDList params, NDList gradients, java.util.function.IntToDoubleFunction learningRate, long t) {
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            NDArray g = gradients.get(i);
            NDArray m = first.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            NDArray v = second.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray denominator = g.zerosLike().addi(v).divi(correction2).sqrt().addi(EPSILON);
            NDArray step = g.zerosLike().addi(m).divi(correction1).divi(denominator).muli(learningRate.applyAsDouble(i));
            params.get(i).subi(step);
        }
    }
}
