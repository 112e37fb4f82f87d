package dev.braid.common.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A private job's ε: planned and reserved until it has run ({@code RESERVED}), then what its
 * dataset's ledger was charged ({@code COMMITTED}) or nothing ({@code RELEASED}), with the
 * mechanism's parameters and how α was chosen and where the text head started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrivacyReport(@Schema(description = "ε reserved (RESERVED) or charged (COMMITTED, RELEASED)") double epsilon,
        double delta, @Schema(allowableValues = {"RESERVED", "COMMITTED", "RELEASED"}) String state, Double plannedEpsilon,
        Double sampleRate, Double noiseMultiplier, Double targetEpsilon, Double maxGradNorm,
        @Schema(description = "DP-SGD steps planned (RESERVED) or run") Long steps,
        @Schema(description = "How the fusion weight was chosen") String alpha, Double alphaNoiseMultiplier,
        @Schema(description = "Where the text head started, and why that costs no ε") String textStart,
        String accounting,
        @Schema(description = "The Gaussian mechanism that released the job's test metrics: noise of this multiplier times "
                + "the counts' sensitivity (absent: none released)") Double metricsNoiseMultiplier) {

    public static PrivacyReport released(double delta) {
        return new PrivacyReport(0.0, delta, "RELEASED", null, null, null, null, null, 0L, null, null, null, null, null);
    }
}
