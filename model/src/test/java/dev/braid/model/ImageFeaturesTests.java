package dev.braid.model;

import java.awt.image.BufferedImage;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFeaturesTests {

    @Test
    void shouldSeeTheSamePixelsInAPreScaledImageAsInTheOriginal() {
        BufferedImage original = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(3);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                original.setRGB(x, y, random.nextInt());
            }
        }

        BufferedImage scaled = Example.scaled(original);

        assertThat(scaled.getWidth()).isEqualTo(ImageFeatures.SIZE);
        assertThat(scaled.getHeight()).isEqualTo(ImageFeatures.SIZE);
        assertThat(ImageFeatures.rgb(scaled)).as("training from the kept copy = serving from the original")
                .isEqualTo(ImageFeatures.rgb(original));
        assertThat(Example.scaled(scaled)).isSameAs(scaled);
    }

    @Test
    void shouldAugmentWithinBoundsAndNormaliseWithoutIt() {
        byte[] grey = new byte[ImageFeatures.PIXELS];
        java.util.Arrays.fill(grey, (byte) 128);
        float[] plain = new float[ImageFeatures.PIXELS];
        float[] augmented = new float[ImageFeatures.PIXELS];

        ImageFeatures.normalise(grey, plain, 0, null);
        ImageFeatures.normalise(grey, augmented, 0, new java.util.SplittableRandom(1));

        float expected = (128 / 255f - 0.5f) / 0.25f;
        for (int i = 0; i < plain.length; i++) {
            assertThat(plain[i]).isEqualTo(expected);
            assertThat(augmented[i]).as("a flat image stays flat under flips and shifts").isEqualTo(expected);
        }
    }
}
