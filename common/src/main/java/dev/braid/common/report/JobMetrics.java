package dev.braid.common.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A job's results on its dataset's test split: each branch's metrics and the fused model's, the
 * fusion weight α of {@code p = (1-α)·p_text + α·p_image}, what the trainer chose, and for a
 * private job its privacy report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(description = "A job's results on its dataset's test split, what the trainer chose, and for a private job what it spent")
public record JobMetrics(@Schema(description = "The text branch alone") BranchMetrics text,
        @Schema(description = "The image branch alone") BranchMetrics image,
        @Schema(description = "The fused model, as served") BranchMetrics fused,
        @Schema(description = "Weight of the image branch in the fused probabilities", minimum = "0", maximum = "1") double alpha,
        TrainingChoices training,
        @Schema(description = "Present for a private job") PrivacyReport privacy) {

    public JobMetrics withPrivacy(PrivacyReport report) {
        return new JobMetrics(text, image, fused, alpha, training, report);
    }
}
