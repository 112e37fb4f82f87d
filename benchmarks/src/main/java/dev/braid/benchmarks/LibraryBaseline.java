package dev.braid.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.data.text.impl.TokenPipeline;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.tokens.impl.BreakIteratorTokenizer;

/**
 * The library baseline: L2-regularised logistic regression from Tribuo (LIBLINEAR's solver),
 * its cost C chosen by 5-fold cross-validation on the rows it fits, on TF-IDF of word unigrams and
 * bigrams (Tribuo's token pipeline; smoothed IDF from the fitted rows, rows L2-normalised) or on
 * any dense features. Probabilities come back in the order of {@code labels}.
 */
final class LibraryBaseline {

    private static final double[] COSTS = {0.1, 1, 10, 100};
    private static final int FOLDS = 5;

    private final List<String> labels;
    double cost;

    LibraryBaseline(List<String> labels) {
        this.labels = labels;
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    }

    /** TF-IDF rows for {@code fit} and {@code test}, the vocabulary and IDF from {@code fit} alone. */
    static List<Map<String, Double>> tfIdf(List<String> fit, List<String> test, boolean forTest) {
        TokenPipeline pipeline = new TokenPipeline(new BreakIteratorTokenizer(Locale.ROOT), 2, true);
        List<Map<String, Double>> fitCounts = counts(pipeline, fit);
        Map<String, Integer> documents = new HashMap<>();
        fitCounts.forEach(row -> row.keySet().forEach(term -> documents.merge(term, 1, Integer::sum)));
        List<Map<String, Double>> rows = forTest ? counts(pipeline, test) : fitCounts;
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Double> row : rows) {
            Map<String, Double> weighted = new HashMap<>();
            double norm = 0;
            for (Map.Entry<String, Double> e : row.entrySet()) {
                Integer df = documents.get(e.getKey());
                if (df != null) {
                    double w = (1 + Math.log(e.getValue())) * (Math.log((1.0 + fit.size()) / (1.0 + df)) + 1);
                    weighted.put(e.getKey(), w);
                    norm += w * w;
                }
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            weighted.replaceAll((k, v) -> v * scale);
            out.add(weighted);
        }
        return out;
    }

    private static List<Map<String, Double>> counts(TokenPipeline pipeline, List<String> texts) {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (String text : texts) {
            Map<String, Double> row = new HashMap<>();
            for (Feature f : pipeline.process("", text.toLowerCase(Locale.ROOT))) {
                row.merge(f.getName(), f.getValue(), Double::sum);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Dense rows as sparse ones, features named by position. */
    static List<Map<String, Double>> dense(double[][] x) {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (double[] row : x) {
            Map<String, Double> named = new HashMap<>();
            for (int j = 0; j < row.length; j++) {
                if (row[j] != 0) {
                    named.put(String.format(Locale.ROOT, "f%05d", j), row[j]);
                }
            }
            rows.add(named);
        }
        return rows;
    }

    /** Chooses C by cross-validated log-loss on {@code fit}, refits on all of it and returns {@code test}'s probabilities. */
    double[][] fitAndPredict(List<Map<String, Double>> fit, int[] fitLabels, List<Map<String, Double>> test) {
        double best = Double.POSITIVE_INFINITY;
        for (double c : COSTS) {
            double loss = 0;
            for (int fold = 0; fold < FOLDS; fold++) {
                List<Map<String, Double>> train = new ArrayList<>();
                List<Integer> trainLabels = new ArrayList<>();
                List<Map<String, Double>> held = new ArrayList<>();
                List<Integer> heldLabels = new ArrayList<>();
                for (int i = 0; i < fit.size(); i++) {
                    (i % FOLDS == fold ? held : train).add(fit.get(i));
                    (i % FOLDS == fold ? heldLabels : trainLabels).add(fitLabels[i]);
                }
                double[][] p = predict(train(train, trainLabels.stream().mapToInt(Integer::intValue).toArray(), c), held);
                for (int i = 0; i < p.length; i++) {
                    loss -= Math.log(Math.max(p[i][heldLabels.get(i)], 1e-12));
                }
            }
            if (loss < best) {
                best = loss;
                cost = c;
            }
        }
        return predict(train(fit, fitLabels, cost), test);
    }

    private Model<Label> train(List<Map<String, Double>> rows, int[] y, double c) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("braid-benchmark", factory), factory);
        for (int i = 0; i < rows.size(); i++) {
            data.add(example(new Label(labels.get(y[i])), rows.get(i)));
        }
        return new LibLinearClassificationTrainer(new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), c, 1000, 0.01)
                .train(data);
    }

    private double[][] predict(Model<Label> model, List<Map<String, Double>> rows) {
        double[][] p = new double[rows.size()][labels.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Label> scores;
            try {
                scores = model.predict(example(LabelFactory.UNKNOWN_LABEL, rows.get(i))).getOutputScores();
            }
            catch (IllegalArgumentException noKnownFeature) {
                // a row none of whose features the model has seen: no evidence for any class
                java.util.Arrays.fill(p[i], 1.0 / labels.size());
                continue;
            }
            for (int c = 0; c < labels.size(); c++) {
                Label score = scores.get(labels.get(c));
                p[i][c] = score == null ? 0 : score.getScore();
            }
        }
        return p;
    }

    private static ArrayExample<Label> example(Label label, Map<String, Double> row) {
        String[] names = row.keySet().toArray(new String[0]);
        double[] values = new double[names.length];
        for (int j = 0; j < names.length; j++) {
            values[j] = row.get(names[j]);
        }
        return new ArrayExample<>(label, names, values);
    }
}
