package dev.braid.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.braid.model.Example;
import dev.braid.model.Metrics;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.model.TrainingResult;

/**
 * The image branch alone, side by side in one run: Braid's image network with the API's defaults
 * against the logistic regression on pixels and colour histograms of {@link QualityBenchmark}
 * (L2 by 5-fold cross-validation, fit on train + validation), both scored on test.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.ImageBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher DIR [SEED ...]} (DIR as for {@link QualityBenchmark};
 * each seed is one more initialisation and shuffle of the network, default 7).
 */
public final class ImageBenchmark {

    private ImageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Examples data = Examples.load(Path.of(args[0]));
        List<Example> examples = data.examples();
        int classes = data.labels().size();
        List<Example> fit = data.fit();
        List<Example> test = data.split(Example.Split.TEST);
        System.out.printf(Locale.ROOT, "%s images: %d records, %d classes, %d cores%n", data.name(), examples.size(), classes,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %-15s %-12s %s%n", "", "image acc / F1", "kept epoch", "train s");

        long start = System.nanoTime();
        SoftmaxRegression regression = SoftmaxRegression.crossValidated(QualityBenchmark.pixels(fit),
                fit.stream().mapToInt(Example::label).toArray(), classes);
        Metrics baseline = QualityBenchmark.metrics(test.stream().mapToInt(Example::label).toArray(),
                regression.probabilities(QualityBenchmark.pixels(test)), classes);
        FineTuningBenchmark.row("logistic regression, pixels (L2 " + regression.penalty + ")", baseline, null, start);

        List<String> seeds = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("7");
        double sum = 0;
        for (String seed : seeds) {
            TrainingOptions d = TrainingOptions.defaults(Long.parseLong(seed));
            TrainingOptions options = new TrainingOptions(d.epochs(), d.batchSize(), d.textLearningRate(), d.imageLearningRate(),
                    d.patience(), d.seed(), null, false, true, null);
            start = System.nanoTime();
            TrainingResult result = new MultimodalTrainer().train(examples, data.labels(), options, TrainingListener.NONE);
            FineTuningBenchmark.row("Braid image network, defaults, seed " + seed, result.image(), result.schedule().imageEpoch(), start);
            sum += result.image().accuracy();
        }
        System.out.printf(Locale.ROOT, "image network minus the regression, mean over %d seeds: %+.3f%n", seeds.size(),
                sum / seeds.size() - baseline.accuracy());
        System.exit(0);
    }
}
