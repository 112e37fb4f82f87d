package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.model.Example;

/**
 * The npm package {@code emoji-datasource-google@16.0.0} as labelled examples, paired as the demo
 * pairs them: text = name and short names, image = the 64×64 PNG, label = category ("Component"
 * left out). A fixed shuffle puts 15 % in test, 10 % in validation and the rest in train.
 */
record EmojiExamples(List<String> labels, List<Example> examples) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code unpacked}: the package's directory, the one holding {@code emoji.json}. */
    static EmojiExamples load(Path unpacked) throws IOException {
        JsonNode emoji = JSON.readTree(Files.readString(unpacked.resolve("emoji.json"), StandardCharsets.UTF_8));
        List<String[]> rows = new ArrayList<>();
        TreeSet<String> categories = new TreeSet<>();
        for (JsonNode e : emoji) {
            String category = e.path("category").stringValue();
            Path png = unpacked.resolve("img/google/64").resolve(e.path("image").stringValue());
            if (!e.path("has_img_google").asBoolean() || "Component".equals(category) || !Files.exists(png)) {
                continue;
            }
            StringBuilder text = new StringBuilder(e.path("name").stringValue().toLowerCase(Locale.ROOT));
            for (JsonNode shortName : e.path("short_names")) {
                text.append(", ").append(shortName.stringValue().replace('_', ' '));
            }
            rows.add(new String[] {text.toString(), png.toString(), category});
            categories.add(category);
        }
        Collections.shuffle(rows, new Random(16));
        List<String> labels = List.copyOf(categories);
        List<Example> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            BufferedImage image = ImageIO.read(Path.of(row[1]).toFile());
            int bucket = i * 100 / rows.size();
            Example.Split split = bucket < 15 ? Example.Split.TEST : bucket < 25 ? Example.Split.VALIDATION : Example.Split.TRAIN;
            examples.add(new Example(row[0], Example.scaled(image), labels.indexOf(row[2]), split));
        }
        return new EmojiExamples(labels, examples);
    }
}
