package dev.braid.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./braid demo --data emoji}: the npm package {@code emoji-datasource-google@16.0.0}, a
 * genuinely paired set. Text = the emoji's name and short names, image = its 64×64 PNG, label =
 * its category (the five "Component" emoji, too few to learn, are left out). Fetched once with
 * {@code npm pack} into {@code $BRAID_HOME/data} and unpacked with {@code tar}; 15 % of the emoji
 * (a fixed shuffle) are held out of the datasets for the final predictions.
 */
public final class EmojiData {

    static final String PACKAGE = "emoji-datasource-google@16.0.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EmojiData() {
    }

    static Optional<Demo.DemoData> load(Path dataDir) throws IOException, InterruptedException {
        Path root = dataDir.resolve("emoji-datasource-google-16.0.0");
        Path unpacked = root.resolve("package");
        if (!Files.exists(unpacked.resolve("emoji.json"))) {
            Files.createDirectories(root);
            System.out.println("Fetching " + PACKAGE + " with npm (about 75 MB, once)...");
            if (!run(root, "npm", "pack", PACKAGE, "--silent") || !run(root, "tar", "xzf", "emoji-datasource-google-16.0.0.tgz")) {
                System.err.println("""
                        Could not fetch %s: --data emoji needs npm (Node.js) and access to the npm registry.
                        Install Node.js (e.g. apt-get install npm), or fetch the package elsewhere with
                            npm pack %s
                        and unpack it so that %s/emoji.json exists; then run ./braid demo --data emoji again.
                        ./braid demo without --data needs neither.""".formatted(PACKAGE, PACKAGE, unpacked));
                return Optional.empty();
            }
        }
        List<Row> rows = new ArrayList<>(rows(unpacked));
        TreeSet<String> categories = new TreeSet<>();
        rows.forEach(row -> categories.add(row.category()));
        Collections.shuffle(rows, new Random(16));
        int heldOutCount = rows.size() * 15 / 100;
        StringBuilder ndjson = new StringBuilder();
        List<Map<String, String>> heldOut = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String image = Base64.getEncoder().encodeToString(Files.readAllBytes(row.png()));
            if (i < heldOutCount) {
                heldOut.add(Map.of("text", row.text(), "imageBase64", image));
                truth.add(row.category());
            }
            else {
                ndjson.append(JSON.writeValueAsString(Map.of("id", row.png().getFileName().toString(), "text", row.text(),
                        "imageBase64", image, "label", row.category()))).append('\n');
            }
        }
        return Optional.of(new Demo.DemoData(PACKAGE + ": " + (rows.size() - heldOutCount) + " emoji (name + short names, "
                + "64×64 PNG, " + categories.size() + " categories) and " + heldOutCount + " held out",
                List.copyOf(categories), ndjson.toString().getBytes(StandardCharsets.UTF_8), heldOut, truth));
    }

    /** One emoji as Braid pairs it: its name and short names, its 64×64 PNG, its category. */
    public record Row(String text, Path png, String category) {
    }

    /** The package's emoji with a Google image, "Component" left out, in the package's order; {@code unpacked} holds {@code emoji.json}. */
    public static List<Row> rows(Path unpacked) throws IOException {
        JsonNode emoji = JSON.readTree(Files.readString(unpacked.resolve("emoji.json"), StandardCharsets.UTF_8));
        List<Row> rows = new ArrayList<>();
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
            rows.add(new Row(text.toString(), png, category));
        }
        return rows;
    }

    private static boolean run(Path dir, String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
