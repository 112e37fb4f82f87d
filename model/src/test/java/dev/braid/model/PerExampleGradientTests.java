package dev.braid.model;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** DP-SGD's per-example gradients (one backward pass over per-example parameter copies) against one backward pass per example. */
class PerExampleGradientTests {

    private static final int CLASSES = 3;
    private static final int BATCH = 3;

    @ParameterizedTest
    @EnumSource(Network.Kind.class)
    void shouldEqualEachExampleDifferentiatedAlone(Network.Kind kind) {
        try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
            SplittableRandom random = new SplittableRandom(5);
            NDList params = Network.initialise(kind, CLASSES, manager, random);
            Shape inputShape = kind == Network.Kind.TEXT ? new Shape(BATCH, TextEncoder.DIMENSIONS)
                    : new Shape(BATCH, 3, ImageFeatures.SIZE, ImageFeatures.SIZE);
            float[] values = new float[(int) inputShape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            NDArray x = manager.create(values, inputShape);
            NDArray labels = manager.create(new int[] {0, 2, 1});

            NDList copies = new NDList();
            for (NDArray p : params) {
                NDArray copy = p.expandDims(0).repeat(0, BATCH);
                copy.setRequiresGradient(true);
                copies.add(copy);
            }
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(Network.losses(Network.forward(kind, x, copies, true), labels, CLASSES).sum());
            }

            for (int b = 0; b < BATCH; b++) {
                NDList alone = new NDList();
                for (NDArray p : params) {
                    NDArray leaf = p.duplicate();
                    leaf.setRequiresGradient(true);
                    alone.add(leaf);
                }
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray one = x.get(b).expandDims(0);
                    collector.backward(Network.losses(Network.forward(kind, one, alone, false), labels.get(b).expandDims(0), CLASSES).sum());
                }
                for (int k = 0; k < params.size(); k++) {
                    float[] expected = alone.get(k).getGradient().toFloatArray();
                    float[] actual = copies.get(k).getGradient().get(b).toFloatArray();
                    assertThat(expected).as("parameter %d, example %d", k, b).hasSameSizeAs(actual);
                    double scale = 1e-6;
                    for (float e : expected) {
                        scale = Math.max(scale, Math.abs(e));
                    }
                    for (int i = 0; i < expected.length; i++) {
                        assertThat((double) actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4 * scale));
                    }
                    assertThat(scale).as("a gradient that is not all zeros").isGreaterThan(1e-6);
                }
            }
        }
    }
}
