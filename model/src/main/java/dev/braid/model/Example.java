package dev.braid.model;

import java.awt.image.BufferedImage;

/**
 * One labelled record as the model sees it: text, a decoded image, or both, and the label's index.
 * {@code split} is where the dataset put it: train, validation or test.
 */
public record Example(String text, BufferedImage image, int label, Split split) {

    public enum Split { TRAIN, VALIDATION, TEST }

    public Example {
        if (text == null && image == null) {
            throw new IllegalArgumentException("an example needs text, an image, or both");
        }
    }

    /**
     * The image at the size the network reads (64×64 RGB, bilinear), for callers that hold many:
     * training from it equals training from the original.
     */
    public static BufferedImage scaled(BufferedImage original) {
        return ImageFeatures.scaled(original);
    }

    boolean hasText() {
        return text != null && !text.isBlank();
    }

    boolean hasImage() {
        return image != null;
    }
}
