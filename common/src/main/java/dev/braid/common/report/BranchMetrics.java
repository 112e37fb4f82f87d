package dev.braid.common.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One classifier's metrics on the test split: accuracy with its 95 % Wilson interval, macro-F1,
 * per-class precision, recall and support (keyed by label), and the confusion matrix as its
 * non-zero cells, so its size is bounded by the test split rather than by labels². A private job's
 * are a noisy release: accuracy and examples from counts with Gaussian noise of standard deviation
 * {@code countNoise}, charged to its budget, and nothing else (no macro-F1, per-class or confusion).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BranchMetrics(double accuracy,
        @Schema(description = "Lower and upper bound of the 95 % interval of the accuracy (Wilson's; for a noisy release, a "
                + "normal interval that adds the noise's variance)") List<Double> accuracyInterval95,
        @Schema(description = "Absent from a private job's noisy release") Double macroF1,
        @Schema(description = "Test records scored (a private job's: a noisy count)") long examples,
        @Schema(description = "Per label; empty in a private job's noisy release") Map<String, ClassMetrics> perClass,
        @Schema(description = "Non-zero cells; empty in a private job's noisy release") List<ConfusionCell> confusion,
        @Schema(description = "Present when these metrics are a private job's noisy release: the standard deviation of the "
                + "Gaussian noise on the correct and total counts they come from, charged to the dataset's budget")
        Double countNoise) {

    /** Exact metrics, as a job that is not private reports them. */
    public BranchMetrics(double accuracy, List<Double> accuracyInterval95, double macroF1, long examples,
            Map<String, ClassMetrics> perClass, List<ConfusionCell> confusion) {
        this(accuracy, accuracyInterval95, (Double) macroF1, examples, perClass, confusion, null);
    }

    /** One label's precision, recall and number of test records. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClassMetrics(double precision, double recall, long support) {
    }

    /** How many test records of label {@code actual} were predicted as {@code predicted}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfusionCell(String actual, String predicted, long count) {
    }
}
