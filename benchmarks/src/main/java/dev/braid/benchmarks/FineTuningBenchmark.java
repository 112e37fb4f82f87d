package dev.braid.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.braid.model.Evaluation;
import dev.braid.model.Example;
import dev.braid.model.Metrics;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.model.TrainingResult;

/**
 * The text branch on emoji, side by side in one run: the frozen encoder with the trained head,
 * against low-rank adapters fine-tuned on MiniLM's top layers with the head, plainly, under
 * DP-SGD at ε = 3, or with its classes balanced ({@code balanced:} before a variant); and a
 * logistic regression on the same frozen embeddings, fit on train + validation and on train alone
 * (the rows the head learns from until early stopping has chosen its epoch; the frozen head is
 * then fit again on train + validation). Prints test accuracy and macro-F1, the epoch kept, the
 * seconds each job took on this machine and the class each variant finds least often.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.FineTuningBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher PATH/TO/emoji-datasource-google/package [LAYERS:RATE ...]}
 */
public final class FineTuningBenchmark {

    private FineTuningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Examples data = Examples.load(Path.of(args[0]));
        List<Example> examples = data.examples();
        int classes = data.labels().size();
        List<String> variants = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("0", "2:1e-3", "6:1e-3");
        System.out.printf(Locale.ROOT, data.name() + " text: %d records, %d classes, %d cores%n", examples.size(), classes,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %-15s %-12s %s%n", "", "text acc / F1", "kept epoch", "train s");

        int[] perClass = new int[classes];
        data.split(Example.Split.TRAIN).forEach(e -> perClass[e.label()]++);
        System.out.println("train records per class: " + java.util.Arrays.toString(perClass) + " " + data.labels());

        List<Example> fit = data.fit();
        List<Example> test = data.split(Example.Split.TEST);
        long start = System.nanoTime();
        SoftmaxRegression regression = SoftmaxRegression.crossValidated(QualityBenchmark.embeddings(fit),
                fit.stream().mapToInt(Example::label).toArray(), classes);
        double[][] p = regression.probabilities(QualityBenchmark.embeddings(test));
        int[] testLabels = test.stream().mapToInt(Example::label).toArray();
        row("logistic regression, frozen (L2 " + regression.penalty + ")", QualityBenchmark.metrics(testLabels, p, classes), null, start);
        // the same regression on the train split alone, the rows the trainer's head learns from (it keeps validation for stopping)
        List<Example> train = data.split(Example.Split.TRAIN);
        start = System.nanoTime();
        SoftmaxRegression trainOnly = SoftmaxRegression.crossValidated(QualityBenchmark.embeddings(train),
                train.stream().mapToInt(Example::label).toArray(), classes);
        row("the same, train split only (L2 " + trainOnly.penalty + ")",
                QualityBenchmark.metrics(testLabels, trainOnly.probabilities(QualityBenchmark.embeddings(test)), classes), null, start);

        for (String spec : variants) {
            // VARIANT[xDRAWS]: the variant trained DRAWS times (a fresh secret, so fresh noise, each time for DP), and the mean
            int draws = spec.matches(".*x\\d+") ? Integer.parseInt(spec.substring(spec.lastIndexOf('x') + 1)) : 1;
            String variant = draws > 1 || spec.matches(".*x\\d+") ? spec.substring(0, spec.lastIndexOf('x')) : spec;
            // [balanced:]LAYERS[:RATE], or dp[v][/BATCH/EPOCHS/SIGMA/HEAD_RATE/CLIP]:LAYERS[:RATE]: dp trains on the train split
            // and releases no test metrics, dpv on train + validation with the noisy release, as a private job does by
            // default; SIGMA "auto" is the accountant's σ for ε = 3 over that plan (PrivatePlan)
            boolean balanced = variant.startsWith("balanced:");
            variant = balanced ? variant.substring("balanced:".length()) : variant;
            boolean isPrivate = variant.startsWith("dp");
            boolean onValidation = variant.startsWith("dpv");
            String[] plan = isPrivate ? variant.substring(0, variant.indexOf(':')).split("/") : new String[0];
            String[] parts = (isPrivate ? variant.substring(variant.indexOf(':') + 1) : variant).split(":");
            int layers = Integer.parseInt(parts[0]);
            TrainingOptions.FineTuning fineTuning = layers == 0 ? null : new TrainingOptions.FineTuning(layers, Double.parseDouble(parts[1]), 0);
            TrainingOptions options;
            String name;
            if (isPrivate) {
                int batch = plan.length > 1 ? Integer.parseInt(plan[1]) : TrainingOptions.DEFAULT_PRIVATE_BATCH_SIZE;
                int epochs = plan.length > 2 ? Integer.parseInt(plan[2]) : TrainingOptions.DEFAULT_PRIVATE_EPOCHS;
                double rate = plan.length > 4 ? Double.parseDouble(plan[4]) : TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE;
                double clip = plan.length > 5 ? Double.parseDouble(plan[5]) : 1.0;
                int records = train.size() + (onValidation ? data.split(Example.Split.VALIDATION).size() : 0);
                PrivatePlan auto = PrivatePlan.forTarget(3.0, records, batch, epochs, onValidation, onValidation);
                PrivatePlan chosen = plan.length > 3 && !plan[3].equals("auto")
                        ? new PrivatePlan(auto.sampleRate(), auto.stepsPerEpoch(), Double.parseDouble(plan[3]), auto.metricsNoiseMultiplier(),
                                onValidation)
                        : auto;
                options = new TrainingOptions(epochs, batch, rate, TrainingOptions.DEFAULT_IMAGE_LEARNING_RATE, 0, 7,
                        chosen.privacy(clip), true, false, fineTuning);
                name = "DP eps 3 (" + String.join("/", plan) + "), ";
                System.out.println(variant + ": " + chosen);
            }
            else {
                TrainingOptions d = TrainingOptions.defaults(7);
                options = new TrainingOptions(d.epochs(), d.batchSize(), d.textLearningRate(), d.imageLearningRate(), d.patience(), 7, null,
                        true, false, fineTuning, balanced);
                name = "";
            }
            double sum = 0;
            for (int draw = 0; draw < draws; draw++) {
                start = System.nanoTime();
                TrainingResult result = new MultimodalTrainer().train(examples, data.labels(), options, TrainingListener.NONE);
                // measured exactly, on the served model: a private run's own metrics are a noisy release
                Metrics text = Evaluation.of(result.artifact(), test).text();
                String encoder = layers > 0 ? "adapters on top " + layers + ", rate " + parts[1]
                        : result.schedule().textRefit() != null ? "frozen encoder, head fit again" : "frozen encoder";
                row(name + (balanced ? "balanced, " : "") + encoder, text, result.schedule().textEpoch(), start);
                if (isPrivate && result.text() != null) {
                    System.out.printf(Locale.ROOT, "    released (noisy): accuracy %.3f of %d, count noise %.1f%n",
                            result.text().accuracy(), result.text().examples(), result.text().countNoise());
                }
                lowestRecall(text, data.labels());
                sum += text.accuracy();
            }
            if (draws > 1) {
                System.out.printf(Locale.ROOT, "    mean test accuracy over %d draws: %.3f%n", draws, sum / draws);
            }
        }
        System.exit(0);
    }

    /** The class the branch finds least often on test, and how often it finds it. */
    private static void lowestRecall(Metrics m, List<String> labels) {
        int lowest = 0;
        for (int c = 1; c < labels.size(); c++) {
            lowest = m.recall(c) < m.recall(lowest) ? c : lowest;
        }
        System.out.printf(Locale.ROOT, "    lowest recall %.3f: %s (%d test records)%n", m.recall(lowest), labels.get(lowest), m.support(lowest));
    }

    /** One result row: accuracy / macro-F1, the epoch kept ("-" for none) and the seconds since {@code start}. */
    static void row(String name, Metrics m, Integer epoch, long start) {
        System.out.printf(Locale.ROOT, "%-40s %.3f / %.3f   %-12s %.0f%n", name, m.accuracy(), m.macroF1(), epoch == null ? "-" : epoch,
                (System.nanoTime() - start) / 1e9);
    }
}
