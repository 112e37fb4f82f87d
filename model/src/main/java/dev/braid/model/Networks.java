package dev.braid.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/** The two branches' networks; training and inference build them from here so parameters always fit. */
final class Networks {

    /** Bumped whenever a network changes shape, so an old artifact is refused rather than misread. */
    static final int VERSION = 1;

    private Networks() {
    }

    /** A small MLP over hashed text features. */
    static Block textHead(int classes) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(64).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }

    /** A two-stage CNN for 32×32 RGB: 16 and 32 filters, max-pooled, then global average pooling. */
    static Block imageNet(int classes) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    static Shape textInput() {
        return new Shape(1, TextTranslator.DIMENSIONS);
    }

    static Shape imageInput() {
        return new Shape(1, 3, ImageTranslator.SIZE, ImageTranslator.SIZE);
    }
}
