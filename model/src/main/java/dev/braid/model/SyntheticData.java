package dev.braid.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated multimodal dataset where each modality carries only part of the signal: the text
 * says alpha or beta, the image is red or blue, and the label is the pair. A text-only or
 * image-only classifier tops out near 50 %; only fusion gets it right. Used by tests and demos.
 */
public final class SyntheticData {

    public static final List<String> LABELS = List.of("red-alpha", "blue-alpha", "red-beta", "blue-beta");

    private static final String[] FILLER = {"please", "help", "with", "this", "order", "today", "again", "now"};

    private SyntheticData() {
    }

    /** One record: its text, a 16×16 image and its label's index into {@link #LABELS}. */
    public record Sample(String text, BufferedImage image, int label) {

        public String labelName() {
            return LABELS.get(label);
        }
    }

    public static Sample sample(int label, Random random) {
        String text = FILLER[random.nextInt(FILLER.length)] + " " + (label < 2 ? "alpha" : "beta") + " "
                + FILLER[random.nextInt(FILLER.length)];
        Color color = label % 2 == 0 ? new Color(190 + random.nextInt(60), random.nextInt(70), random.nextInt(70))
                : new Color(random.nextInt(70), random.nextInt(70), 190 + random.nextInt(60));
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(color);
            g.fillRect(0, 0, 16, 16);
            // one grey speck in a random place: no two records are byte-for-byte the same, and no signal added
            int grey = random.nextInt(256);
            image.setRGB(random.nextInt(16), random.nextInt(16), new Color(grey, grey, grey).getRGB());
        }
        finally {
            g.dispose();
        }
        return new Sample(text, image, label);
    }

    /** {@code n} samples cycling through the labels, split 60/20/20 into train, validation and test. */
    public static List<Example> examples(int n, long seed) {
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Sample s = sample(i % LABELS.size(), random);
            Example.Split split = i % 10 < 6 ? Example.Split.TRAIN : i % 10 < 8 ? Example.Split.VALIDATION : Example.Split.TEST;
            examples.add(new Example(s.text(), s.image(), s.label(), split));
        }
        return examples;
    }
}
