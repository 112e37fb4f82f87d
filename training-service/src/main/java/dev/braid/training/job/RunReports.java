package dev.braid.training.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.common.report.BranchMetrics;
import dev.braid.common.report.JobMetrics;
import dev.braid.common.report.TrainingChoices;
import dev.braid.model.EpochSummary;
import dev.braid.model.Metrics;
import dev.braid.model.TrainingResult;

/** What a run reports, in the API's terms: the job's metrics by label name, and an epoch's event. */
final class RunReports {

    private RunReports() {
    }

    static JobMetrics metrics(TrainingResult result, List<String> labels) {
        return new JobMetrics(metric(result.text(), labels), metric(result.image(), labels), metric(result.fused(), labels),
                result.alpha(), training(result.schedule(), labels), null);
    }

    /**
     * What the trainer chose (epochs run, batch size, each branch's learning rate and kept epoch,
     * the text encoder's fine-tuned layers, the frozen text head's refit) and the curve it chose from.
     */
    private static TrainingChoices training(TrainingResult.Schedule schedule, List<String> labels) {
        Map<String, Double> weights = null;
        if (schedule.classWeights() != null) {
            weights = new LinkedHashMap<>();
            for (int c = 0; c < labels.size(); c++) {
                weights.put(labels.get(c), schedule.classWeights().get(c));
            }
        }
        TrainingResult.FineTuned tuned = schedule.fineTuning();
        TrainingResult.Refit refit = schedule.textRefit();
        return new TrainingChoices(schedule.epochs(), schedule.batchSize(), schedule.textLearningRate(),
                schedule.imageLearningRate(), schedule.textEpoch(), schedule.imageEpoch(),
                tuned == null ? null : new TrainingChoices.FineTuning(tuned.layers(), tuned.rank(), tuned.learningRate()),
                refit == null ? null : new TrainingChoices.TextRefit(refit.epochs(), refit.records()), weights,
                schedule.curve().stream().map(e -> new TrainingChoices.EpochPoint(e.epoch(), e.trainLoss(), e.validationAccuracy(),
                        e.textValidationLoss(), e.imageValidationLoss())).toList());
    }

    /** An epoch's summary as its event shows it: a private job's, the epoch alone (it measures nothing on its records). */
    static Map<String, Object> summary(EpochSummary e) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epoch", e.epoch());
        putIfPresent(summary, "loss", e.trainLoss());
        putIfPresent(summary, "validationAccuracy", e.validationAccuracy());
        putIfPresent(summary, "textValidationLoss", e.textValidationLoss());
        putIfPresent(summary, "imageValidationLoss", e.imageValidationLoss());
        return summary;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * One branch's test metrics: accuracy with its 95 % (Wilson) interval, macro-F1, per-class
     * precision, recall and support, and the confusion matrix as its non-zero cells (actual label,
     * predicted label, count), so its size is bounded by the test split, not by labels². A private
     * job's noisy release: its accuracy, interval and examples, with the noise; none: null.
     */
    private static BranchMetrics metric(Metrics m, List<String> labels) {
        if (m == null) {
            return null;
        }
        if (m.noisy()) {
            double[] interval = m.accuracyInterval95();
            return new BranchMetrics(m.accuracy(), List.of(interval[0], interval[1]), null, m.examples(), Map.of(), List.of(),
                    m.countNoise());
        }
        Map<String, BranchMetrics.ClassMetrics> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            perClass.put(labels.get(c), new BranchMetrics.ClassMetrics(m.precision(c), m.recall(c), m.support(c)));
        }
        List<BranchMetrics.ConfusionCell> cells = new ArrayList<>();
        for (int actual = 0; actual < labels.size(); actual++) {
            for (int predicted = 0; predicted < labels.size(); predicted++) {
                if (m.confusion()[actual][predicted] > 0) {
                    cells.add(new BranchMetrics.ConfusionCell(labels.get(actual), labels.get(predicted),
                            m.confusion()[actual][predicted]));
                }
            }
        }
        double[] interval = m.accuracyInterval95();
        return new BranchMetrics(m.accuracy(), List.of(interval[0], interval[1]), m.macroF1(), m.examples(), perClass, cells);
    }
}
