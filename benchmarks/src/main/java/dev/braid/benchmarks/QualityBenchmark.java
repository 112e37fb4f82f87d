package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.braid.model.Evaluation;
import dev.braid.model.Example;
import dev.braid.model.Metrics;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.MiniLm;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.model.TrainingResult;

/**
 * Quality side by side in one run, on the same splits: Braid's trainer with the API's defaults
 * (what a job with only {@code datasetId} gets) against multinomial logistic regression (L2 by
 * 5-fold cross-validation) on the same frozen MiniLM embeddings and on pixels (16×16 RGB plus an
 * 8-bin histogram per channel), and their late fusion (mean of the two probability vectors);
 * against the library baseline, Tribuo's L2 logistic regression on TF-IDF and on the same pixels
 * ({@link LibraryBaseline}), fused the same way; and what a private job gets by default at ε = 3.
 * Baselines fit on train + validation, the rows Braid learns and selects from; all are scored on test.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.QualityBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher DIR}, DIR being the unpacked emoji package
 * ({@code emoji-datasource-google/package}) or the Fashion-MNIST IDX directory ({@link Examples}).
 */
public final class QualityBenchmark {

    /**
     * σ for ε = 3, δ = 1e-5 at the private defaults (expected batch 256, 30 epochs of ⌈train / 256⌉
     * steps), by train split size: the accountant's answers for emoji's and Fashion-MNIST's splits.
     */
    private QualityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Examples data = Examples.load(Path.of(args[0]));
        List<Example> examples = data.examples();
        int classes = data.labels().size();
        List<Example> fit = data.fit();
        List<Example> test = data.split(Example.Split.TEST);
        System.out.printf(Locale.ROOT, "%s: %d train, %d validation, %d test, %d classes, %d cores%n", data.name(),
                data.split(Example.Split.TRAIN).size(), data.split(Example.Split.VALIDATION).size(), test.size(), classes,
                Runtime.getRuntime().availableProcessors());

        long start = System.nanoTime();
        TrainingResult braid = new MultimodalTrainer().train(examples, data.labels(), TrainingOptions.defaults(7),
                TrainingListener.NONE);
        double braidSeconds = (System.nanoTime() - start) / 1e9;

        // what a private job gets by default (text branch alone, its default epochs, expected batch and rate) at ε = 3,
        // δ = 1e-5: sampling from train + validation (it chooses no α there), σ from the accountant for that plan with its
        // noisy test metrics' release, as the training service plans it at submit
        int records = data.split(Example.Split.TRAIN).size() + data.split(Example.Split.VALIDATION).size();
        PrivatePlan plan = PrivatePlan.forTarget(3.0, records, TrainingOptions.DEFAULT_PRIVATE_BATCH_SIZE,
                TrainingOptions.DEFAULT_PRIVATE_EPOCHS, true, true);
        start = System.nanoTime();
        TrainingResult dp = new MultimodalTrainer().train(examples, data.labels(), new TrainingOptions(
                TrainingOptions.DEFAULT_PRIVATE_EPOCHS, TrainingOptions.DEFAULT_PRIVATE_BATCH_SIZE,
                TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE, TrainingOptions.DEFAULT_IMAGE_LEARNING_RATE, 0, 7,
                plan.privacy(1.0), true, false, TrainingOptions.fineTuning(null, true)), TrainingListener.NONE);
        // measured exactly on the served model, as its owner may; what the job itself releases is noisy
        Evaluation.Result dpMeasured = Evaluation.of(dp.artifact(), test);
        double dpSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        int[] fitLabels = fit.stream().mapToInt(Example::label).toArray();
        int[] testLabels = test.stream().mapToInt(Example::label).toArray();
        SoftmaxRegression text = SoftmaxRegression.crossValidated(embeddings(fit), fitLabels, classes);
        double[][] textP = text.probabilities(embeddings(test));
        SoftmaxRegression image = SoftmaxRegression.crossValidated(pixels(fit), fitLabels, classes);
        double[][] imageP = image.probabilities(pixels(test));
        double baselineSeconds = (System.nanoTime() - start) / 1e9;
        double[][] fusedP = mean(textP, imageP);

        start = System.nanoTime();
        LibraryBaseline libraryText = new LibraryBaseline(data.labels());
        List<String> fitTexts = fit.stream().map(Example::text).toList();
        List<String> testTexts = test.stream().map(Example::text).toList();
        double[][] libraryTextP = libraryText.fitAndPredict(LibraryBaseline.tfIdf(fitTexts, testTexts, false), fitLabels,
                LibraryBaseline.tfIdf(fitTexts, testTexts, true));
        LibraryBaseline libraryImage = new LibraryBaseline(data.labels());
        double[][] libraryImageP = libraryImage.fitAndPredict(LibraryBaseline.dense(pixels(fit)), fitLabels,
                LibraryBaseline.dense(pixels(test)));
        double librarySeconds = (System.nanoTime() - start) / 1e9;
        double[][] libraryFusedP = mean(libraryTextP, libraryImageP);

        System.out.printf(Locale.ROOT, "%-52s %-15s %-15s %-15s %s%n", "", "text acc / F1", "image acc / F1", "fused acc / F1",
                "train s");
        row("Braid, defaults (alpha " + String.format(Locale.ROOT, "%.2f", braid.alpha()) + ")", braid.text(), braid.image(),
                braid.fused(), braidSeconds);
        row("Braid, DP eps 3, defaults (text alone, " + plan + ")", dpMeasured.text(), dpMeasured.image(), dpMeasured.fused(),
                dpSeconds);
        row("logistic regression, same features (L2 " + text.penalty + " / " + image.penalty + ")", metrics(testLabels, textP, classes),
                metrics(testLabels, imageP, classes), metrics(testLabels, fusedP, classes), baselineSeconds);
        row("Tribuo LR, TF-IDF / pixels (C " + libraryText.cost + " / " + libraryImage.cost + ")",
                metrics(testLabels, libraryTextP, classes), metrics(testLabels, libraryImageP, classes),
                metrics(testLabels, libraryFusedP, classes), librarySeconds);
        TrainingResult.Schedule schedule = braid.schedule();
        System.out.printf(Locale.ROOT, "Braid chose: %d epochs run, text kept from epoch %d (rate %s), image from epoch %d (rate %s), "
                + "batch %d, text encoder %s%n", schedule.epochs(), schedule.textEpoch(), schedule.textLearningRate(), schedule.imageEpoch(),
                schedule.imageLearningRate(), schedule.batchSize(), schedule.fineTuning() == null ? "frozen"
                        : "fine-tuned (" + schedule.fineTuning() + ")");
        double[] interval = braid.fused().accuracyInterval95();
        System.out.printf(Locale.ROOT, "Braid fused 95%% interval: %.3f-%.3f; fused minus same-feature regression fused: %+.3f, "
                + "minus library fused: %+.3f%n", interval[0], interval[1],
                braid.fused().accuracy() - metrics(testLabels, fusedP, classes).accuracy(),
                braid.fused().accuracy() - metrics(testLabels, libraryFusedP, classes).accuracy());
        System.exit(0);
    }

    private static double[][] mean(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int c = 0; c < a[i].length; c++) {
                out[i][c] = (a[i][c] + b[i][c]) / 2;
            }
        }
        return out;
    }

    private static void row(String name, Metrics text, Metrics image, Metrics fused, double seconds) {
        System.out.printf(Locale.ROOT, "%-52s %s   %s   %s   %.0f%n", name, pair(text), pair(image), pair(fused), seconds);
    }

    private static String pair(Metrics m) {
        return m.examples() == 0 ? "  -   /   -  " : String.format(Locale.ROOT, "%.3f / %.3f", m.accuracy(), m.macroF1());
    }

    /** The metrics of predicting each row's most probable class. */
    static Metrics metrics(int[] truth, double[][] p, int classes) {
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int c = 1; c < classes; c++) {
                predicted[i] = p[i][c] > p[i][predicted[i]] ? c : predicted[i];
            }
        }
        return Metrics.of(truth, predicted, classes);
    }

    /** The examples' frozen MiniLM embeddings as rows of doubles, for the regressions. */
    static double[][] embeddings(List<Example> examples) {
        float[][] e = MiniLm.shared().encode(examples.stream().map(Example::text).toList());
        double[][] x = new double[e.length][];
        for (int i = 0; i < e.length; i++) {
            x[i] = new double[e[i].length];
            for (int j = 0; j < e[i].length; j++) {
                x[i][j] = e[i][j];
            }
        }
        return x;
    }

    /** 16×16 RGB in [0, 1] and an 8-bin histogram per channel. */
    static double[][] pixels(List<Example> examples) {
        double[][] x = new double[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            BufferedImage image = examples.get(i).image();
            double[] row = new double[16 * 16 * 3 + 24];
            int w = image.getWidth();
            int h = image.getHeight();
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int rgb = image.getRGB(xx, y);
                    int cell = (y * 16 / h) * 16 + xx * 16 / w;
                    for (int c = 0; c < 3; c++) {
                        int v = (rgb >> (16 - 8 * c)) & 0xff;
                        row[c * 256 + cell] += v / 255.0 / ((double) w * h / 256);
                        row[768 + c * 8 + v / 32] += 1.0 / (w * h);
                    }
                }
            }
            x[i] = row;
        }
        return x;
    }
}
