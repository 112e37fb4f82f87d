package dev.braid.common.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One classifier's metrics on the test split: accuracy with its 95 % Wilson interval, macro-F1,
 * per-class precision, recall and support (keyed by label), and the confusion matrix as its
 * non-zero cells, so its size is bounded by the test split rather than by labels².
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BranchMetrics(double accuracy,
        @Schema(description = "Lower and upper bound of the 95 % Wilson interval of the accuracy") List<Double> accuracyInterval95,
        double macroF1, @Schema(description = "Test records scored") long examples,
        @Schema(description = "Per label") Map<String, ClassMetrics> perClass, List<ConfusionCell> confusion) {

    /** One label's precision, recall and number of test records. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClassMetrics(double precision, double recall, long support) {
    }

    /** How many test records of label {@code actual} were predicted as {@code predicted}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfusionCell(String actual, String predicted, long count) {
    }
}
