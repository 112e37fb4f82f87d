package dev.braid.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * Images as the network sees them: scaled to {@link #SIZE}×{@link #SIZE} RGB (bilinear), kept as
 * bytes (CHW) so a job's whole train split fits in memory, and turned into floats per batch,
 * normalised with fixed constants (mean 0.5, spread 0.25 per channel). Fixed, not fitted: a
 * per-dataset mean would be one more statistic of the data released without accounting.
 * Augmentation for training: a horizontal flip half the time and a shift of up to
 * {@link #MAX_SHIFT} pixels each way, edges repeated.
 */
final class ImageFeatures {

    static final int SIZE = 64;
    static final int PIXELS = 3 * SIZE * SIZE;
    static final int MAX_SHIFT = 4;

    private ImageFeatures() {
    }

    /** The image scaled to {@link #SIZE}×{@link #SIZE} RGB; one already that size and type is returned as it is. */
    static BufferedImage scaled(BufferedImage image) {
        if (image.getWidth() == SIZE && image.getHeight() == SIZE && image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage scaled = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, SIZE, SIZE, null);
        }
        finally {
            g.dispose();
        }
        return scaled;
    }

    static byte[] rgb(BufferedImage image) {
        BufferedImage scaled = scaled(image);
        int[] argb = scaled.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        byte[] chw = new byte[PIXELS];
        int plane = SIZE * SIZE;
        for (int i = 0; i < plane; i++) {
            chw[i] = (byte) (argb[i] >> 16);
            chw[plane + i] = (byte) (argb[i] >> 8);
            chw[2 * plane + i] = (byte) argb[i];
        }
        return chw;
    }

    /** Writes the normalised pixels into {@code out} at {@code offset}; augmented when {@code random} is given. */
    static void normalise(byte[] chw, float[] out, int offset, RandomGenerator random) {
        boolean flip = false;
        int dx = 0;
        int dy = 0;
        if (random != null) {
            flip = random.nextBoolean();
            dx = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            dy = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        }
        int plane = SIZE * SIZE;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                int sy = Math.min(SIZE - 1, Math.max(0, y + dy));
                for (int x = 0; x < SIZE; x++) {
                    int sx = Math.min(SIZE - 1, Math.max(0, (flip ? SIZE - 1 - x : x) + dx));
                    int value = chw[c * plane + sy * SIZE + sx] & 0xff;
                    out[offset + c * plane + y * SIZE + x] = (value / 255f - 0.5f) / 0.25f;
                }
            }
        }
    }
}
