package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import dev.braid.launcher.EmojiData;
import dev.braid.model.Example;

/**
 * The npm package {@code emoji-datasource-google@16.0.0} as labelled examples, paired as the demo
 * pairs them ({@link EmojiData#rows}). A fixed shuffle puts 15 % in test, 10 % in validation and the rest in train.
 */
record EmojiExamples(List<String> labels, List<Example> examples) {

    /** {@code unpacked}: the package's directory, the one holding {@code emoji.json}. */
    static EmojiExamples load(Path unpacked) throws IOException {
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
        return new EmojiExamples(labels, examples);
    }
}
