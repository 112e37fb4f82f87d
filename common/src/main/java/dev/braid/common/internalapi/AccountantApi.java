package dev.braid.common.internalapi;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The privacy service's public accountant, as the training service calls it to size a private job's noise. The
 * endpoint is part of the public API (the privacy service's controller maps it and documents it there); the payloads
 * are these records on both sides.
 */
public interface AccountantApi {

    @PostExchange("/api/v1/privacy/accountant/noise-multiplier")
    NoiseMultiplierResponse noiseMultiplier(@RequestBody NoiseMultiplierRequest request);

    @Schema(name = "Mechanism", description = "steps of the Poisson-subsampled Gaussian at sampleRate and noiseMultiplier")
    record Mechanism(
            @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @DecimalMin("0") @DecimalMax("1e9") Double noiseMultiplier,
            @NotNull @Min(0) Long steps) {
    }

    /** The finest ε tolerance of a σ search; finer would only spin on the last bits of a double. */
    String MIN_TOLERANCE = "1e-6";

    @Schema(name = "NoiseMultiplierRequest")
    record NoiseMultiplierRequest(
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double targetEpsilon,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta,
            @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @Min(0) Long steps,
            @DecimalMin(MIN_TOLERANCE) @DecimalMax("100") Double epsilonTolerance,
            List<@NotNull @Valid Mechanism> alongside) {
    }

    @Schema(name = "NoiseMultiplierResponse")
    record NoiseMultiplierResponse(double noiseMultiplier, double epsilon) {
    }
}
