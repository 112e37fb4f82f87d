package dev.braid.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;

/**
 * An image to class probabilities: scaled to {@link #SIZE}×{@link #SIZE} RGB (bilinear), CHW,
 * normalised to mean 0, through the image network, then a temperature-scaled softmax.
 */
final class ImageTranslator extends CalibratedTranslator<BufferedImage> {

    static final int SIZE = 32;

    ImageTranslator(double temperature) {
        super(temperature);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, BufferedImage image) {
        return new NDList(ctx.getNDManager().create(pixels(image), new Shape(3, SIZE, SIZE)));
    }

    static float[] pixels(BufferedImage image) {
        BufferedImage scaled = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, SIZE, SIZE, null);
        }
        finally {
            g.dispose();
        }
        float[] chw = new float[3 * SIZE * SIZE];
        int plane = SIZE * SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = scaled.getRGB(x, y);
                int i = y * SIZE + x;
                chw[i] = (((rgb >> 16) & 0xff) / 255f - 0.5f) / 0.25f;
                chw[plane + i] = (((rgb >> 8) & 0xff) / 255f - 0.5f) / 0.25f;
                chw[2 * plane + i] = ((rgb & 0xff) / 255f - 0.5f) / 0.25f;
            }
        }
        return chw;
    }

    static NDArray batch(NDManager manager, List<BufferedImage> images) {
        float[] all = new float[images.size() * 3 * SIZE * SIZE];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(pixels(images.get(i)), 0, all, i * 3 * SIZE * SIZE, 3 * SIZE * SIZE);
        }
        return manager.create(all, new Shape(images.size(), 3, SIZE, SIZE));
    }
}
