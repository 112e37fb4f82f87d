package dev.braid.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact metrics of a model on examples, served as inference serves it: for measuring a model (benchmarks, tests,
 * a private model's owner on data of their own), never part of what a private run releases, which is only ever
 * {@link Metrics#released noisy}.
 */
public final class Evaluation {

    private static final int CHUNK = 256;

    /** Each modality's own prediction and the fused one, on the examples that have what each needs. */
    public record Result(Metrics text, Metrics image, Metrics fused) {
    }

    private Evaluation() {
    }

    public static Result of(ModelArtifact artifact, List<Example> examples) {
        List<String> labels = artifact.labels();
        int n = examples.size();
        int[] truth = new int[n];
        int[] text = new int[n];
        int[] image = new int[n];
        int[] fused = new int[n];
        try (FusedClassifier model = FusedClassifier.load(artifact)) {
            for (int from = 0; from < n; from += CHUNK) {
                List<Example> chunk = examples.subList(from, Math.min(n, from + CHUNK));
                List<FusedClassifier.Input> inputs = new ArrayList<>(chunk.size());
                for (Example e : chunk) {
                    inputs.add(new FusedClassifier.Input(model.hasText() ? e.text() : null, model.hasImage() ? e.image() : null));
                }
                List<Prediction> predictions = model.predict(inputs);
                for (int k = 0; k < chunk.size(); k++) {
                    Prediction p = predictions.get(k);
                    truth[from + k] = chunk.get(k).label();
                    text[from + k] = p.text() == null ? -1 : labels.indexOf(p.text().label());
                    image[from + k] = p.image() == null ? -1 : labels.indexOf(p.image().label());
                    fused[from + k] = labels.indexOf(p.label());
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new Result(metrics(truth, text, labels.size()), metrics(truth, image, labels.size()),
                Metrics.of(truth, fused, labels.size()));
    }

    /** The metrics of the predictions made (a -1 is none: the example lacked the modality). */
    private static Metrics metrics(int[] truth, int[] predicted, int classes) {
        List<Integer> made = new ArrayList<>();
        for (int k = 0; k < predicted.length; k++) {
            if (predicted[k] >= 0) {
                made.add(k);
            }
        }
        return Metrics.of(made.stream().mapToInt(k -> truth[k]).toArray(), made.stream().mapToInt(k -> predicted[k]).toArray(),
                classes);
    }
}
