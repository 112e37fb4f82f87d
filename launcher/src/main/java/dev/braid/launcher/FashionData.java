package dev.braid.launcher;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import javax.imageio.ImageIO;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./braid demo --data fashion}: Fashion-MNIST images (the Debian package
 * {@code dataset-fashion-mnist}, IDX files under {@code /usr/share/datasets/fashion-mnist}, or
 * {@code BRAID_FASHION_MNIST}) paired with texts generated here, so the pairs are synthetic: the
 * text names the garment's department (tops, bottoms, dresses, footwear, bags) and a fifth of the
 * texts say nothing useful; the image must tell e.g. a shirt from a coat. 6,000 training images are
 * ingested, 1,000 test images are held out.
 */
public final class FashionData {

    public static final List<String> LABELS = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
            "bag", "ankle-boot");
    private static final String[] DEPARTMENT = {"tops", "bottoms", "tops", "dresses", "tops", "footwear", "tops", "footwear",
        "bags", "footwear"};
    private static final String[] OPENERS = {"from the", "listed under", "new in", "returned item,", "sale:"};
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TRAIN = 6000;
    private static final int HELD_OUT = 1000;

    private FashionData() {
    }

    static Optional<Demo.DemoData> load() throws IOException {
        String configured = System.getenv("BRAID_FASHION_MNIST");
        Path dir = Path.of(configured != null ? configured : "/usr/share/datasets/fashion-mnist");
        if (!Files.exists(dir.resolve("train-images-idx3-ubyte.gz"))) {
            System.err.println("Fashion-MNIST is not in " + dir + ": install the Debian package (apt-get install "
                    + "dataset-fashion-mnist) or point BRAID_FASHION_MNIST at a directory with the four IDX .gz files.");
            return Optional.empty();
        }
        StringBuilder ndjson = new StringBuilder();
        List<Map<String, String>> heldOut = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        int i = 0;
        for (Row row : rows(dir)) {
            if (row.heldOut()) {
                heldOut.add(Map.of("text", row.text(), "imageBase64", png(row.pixels())));
                truth.add(LABELS.get(row.label()));
            }
            else {
                ndjson.append(JSON.writeValueAsString(Map.of("id", "fashion-" + i++, "text", row.text(),
                        "imageBase64", png(row.pixels()), "label", LABELS.get(row.label())))).append('\n');
            }
        }
        return Optional.of(new Demo.DemoData("Fashion-MNIST: " + TRAIN + " training images with generated texts (synthetic pairs: "
                + "the text names the department only) and " + HELD_OUT + " test images held out", LABELS,
                ndjson.toString().getBytes(StandardCharsets.UTF_8), heldOut, truth));
    }

    /** One garment: its generated text, its 28×28 grey pixels, the index of its label, and whether it is from the test file. */
    public record Row(String text, byte[] pixels, int label, boolean heldOut) {

        /** The pixels as an image. */
        public BufferedImage image() {
            return FashionData.image(pixels);
        }
    }

    /**
     * The demo's records from the IDX files in {@code dir}: the first 6,000 training images, then the
     * first 1,000 test images (held out), each with its generated text.
     */
    public static List<Row> rows(Path dir) throws IOException {
        byte[][] trainImages = images(dir.resolve("train-images-idx3-ubyte.gz"), TRAIN);
        byte[] trainLabels = labels(dir.resolve("train-labels-idx1-ubyte.gz"), TRAIN);
        byte[][] testImages = images(dir.resolve("t10k-images-idx3-ubyte.gz"), HELD_OUT);
        byte[] testLabels = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"), HELD_OUT);
        Random random = new Random(28);
        List<Row> rows = new ArrayList<>(TRAIN + HELD_OUT);
        for (int i = 0; i < TRAIN; i++) {
            rows.add(new Row(text(trainLabels[i], random), trainImages[i], trainLabels[i], false));
        }
        for (int i = 0; i < HELD_OUT; i++) {
            rows.add(new Row(text(testLabels[i], random), testImages[i], testLabels[i], true));
        }
        return rows;
    }

    private static String text(int label, Random random) {
        if (random.nextInt(5) == 0) {
            return "item " + (1000 + random.nextInt(9000)) + " from the catalogue";
        }
        return OPENERS[random.nextInt(OPENERS.length)] + " " + DEPARTMENT[label] + " department";
    }

    private static byte[][] images(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != 2051) {
                throw new IOException(file + " is not an IDX image file");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[][] images = new byte[Math.min(n, count)][rows * cols];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        }
    }

    private static byte[] labels(Path file, int count) throws IOException {
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 2049) {
                throw new IOException(file + " is not an IDX label file");
            }
            byte[] labels = new byte[Math.min(in.readInt(), count)];
            in.readFully(labels);
            return labels;
        }
    }

    private static BufferedImage image(byte[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, pixels);
        return image;
    }

    private static String png(byte[] pixels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image(pixels), "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
