package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import dev.braid.launcher.EmojiData;
import dev.braid.launcher.FashionData;
import dev.braid.model.Example;

/**
 * A benchmark's labelled examples, in the demo's pairings: {@code name} says which data set.
 *
 * <ul>
 * <li>emoji: the npm package {@code emoji-datasource-google@16.0.0} ({@link EmojiData#rows}); a
 * fixed shuffle puts 15 % in test, 10 % in validation and the rest in train.
 * <li>Fashion-MNIST: the Debian package {@code dataset-fashion-mnist} with the demo's generated
 * texts ({@link FashionData#rows}); its 6,000 ingested records split 80 / 10 / 10 as the dataset
 * service splits them (by a fixed shuffle here), and the 1,000 held-out test images join test.
 * </ul>
 */
record Examples(String name, List<String> labels, List<Example> examples) {

    /** The examples the baselines fit on: train and validation, the rows Braid learns and selects from. */
    List<Example> fit() {
        return examples.stream().filter(e -> e.split() != Example.Split.TEST).toList();
    }

    /** The examples in {@code split}. */
    List<Example> split(Example.Split split) {
        return examples.stream().filter(e -> e.split() == split).toList();
    }

    /** {@code dir}: the emoji package's directory (holding {@code emoji.json}) or Fashion-MNIST's (holding the IDX files). */
    static Examples load(Path dir) throws IOException {
        return Files.exists(dir.resolve("emoji.json")) ? emoji(dir) : fashion(dir);
    }

    private static Examples emoji(Path unpacked) throws IOException {
        List<EmojiData.Row> rows = new ArrayList<>(EmojiData.rows(unpacked));
        TreeSet<String> categories = new TreeSet<>();
        rows.forEach(row -> categories.add(row.category()));
        Collections.shuffle(rows, new Random(16));
        List<String> labels = List.copyOf(categories);
        List<Example> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EmojiData.Row row = rows.get(i);
            BufferedImage image = ImageIO.read(row.png().toFile());
            int bucket = i * 100 / rows.size();
            Example.Split split = bucket < 15 ? Example.Split.TEST : bucket < 25 ? Example.Split.VALIDATION : Example.Split.TRAIN;
            examples.add(new Example(row.text(), Example.scaled(image), labels.indexOf(row.category()), split));
        }
        return new Examples("emoji", labels, examples);
    }

    private static Examples fashion(Path dir) throws IOException {
        List<FashionData.Row> rows = new ArrayList<>(FashionData.rows(dir));
        List<FashionData.Row> ingested = new ArrayList<>(rows.stream().filter(row -> !row.heldOut()).toList());
        Collections.shuffle(ingested, new Random(28));
        List<Example> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < ingested.size(); i++) {
            int bucket = i * 100 / ingested.size();
            Example.Split split = bucket < 80 ? Example.Split.TRAIN : bucket < 90 ? Example.Split.VALIDATION : Example.Split.TEST;
            examples.add(example(ingested.get(i), split));
        }
        rows.stream().filter(FashionData.Row::heldOut).forEach(row -> examples.add(example(row, Example.Split.TEST)));
        return new Examples("Fashion-MNIST", FashionData.LABELS, examples);
    }

    private static Example example(FashionData.Row row, Example.Split split) {
        return new Example(row.text(), Example.scaled(row.image()), row.label(), split);
    }
}
