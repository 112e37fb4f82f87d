package dev.braid.privacy.accountant;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.openapi.Problems;

@RestController
@RequestMapping("/api/v1/privacy/accountant")
@Tag(name = "Privacy", description = "The DP accountant, per-dataset privacy budgets and the tenant's key-encryption keys")
class AccountantController {

    /** The largest RDP order a request may ask for: an integer order α sums α + 1 terms per mechanism. */
    static final String MAX_ORDER = "1024";

    /** The finest ε tolerance of a σ search; finer would only spin on the last bits of a double. */
    static final String MIN_TOLERANCE = "1e-6";

    private final AccountantService accountant;

    AccountantController(AccountantService accountant) {
        this.accountant = accountant;
    }

    @Schema(name = "Mechanism", description = "steps of the Poisson-subsampled Gaussian at sampleRate and noiseMultiplier")
    record MechanismRequest(
            @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @DecimalMin("0") @DecimalMax("1e9") Double noiseMultiplier,
            @NotNull @Min(0) Long steps) {

        RdpAccountant.Mechanism toMechanism() {
            return new RdpAccountant.Mechanism(sampleRate, noiseMultiplier, steps);
        }
    }

    record EpsilonRequest(@NotEmpty List<@NotNull @Valid MechanismRequest> mechanisms,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta,
            List<@NotNull @DecimalMin(value = "1", inclusive = false) @DecimalMax(MAX_ORDER) Double> orders) {
    }

    @Schema(description = "The smallest ε over the orders, and the order that gave it")
    record EpsilonResponse(double epsilon, double order) {
    }

    @Schema(name = "NoiseMultiplierRequest")
    record NoiseRequest(
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double targetEpsilon,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta,
            @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @Min(0) Long steps,
            @DecimalMin(MIN_TOLERANCE) @DecimalMax("100") Double epsilonTolerance,
            List<@NotNull @Valid MechanismRequest> alongside) {
    }

    @Schema(name = "NoiseMultiplierResponse")
    record NoiseResponse(double noiseMultiplier, double epsilon) {
    }

    @PostMapping
    @Operation(operationId = "computeEpsilon", summary = "ε of composed subsampled Gaussian mechanisms at δ (RDP, Balle et al. 2020 conversion)")
    @Problems(422)
    EpsilonResponse epsilon(@Valid @RequestBody EpsilonRequest request) {
        RdpAccountant.Epsilon result = accountant.epsilon(request.mechanisms().stream().map(MechanismRequest::toMechanism).toList(),
                request.delta(), request.orders());
        return new EpsilonResponse(result.epsilon(), result.order());
    }

    @PostMapping("/noise-multiplier")
    @Operation(operationId = "findNoiseMultiplier", summary = "The smallest noise multiplier σ whose ε stays within a target")
    @Problems(422)
    NoiseResponse noiseMultiplier(@Valid @RequestBody NoiseRequest request) {
        List<RdpAccountant.Mechanism> alongside = request.alongside() == null ? List.of()
                : request.alongside().stream().map(MechanismRequest::toMechanism).toList();
        RdpAccountant.Noise noise = accountant.noiseMultiplier(request.targetEpsilon(), request.delta(), request.sampleRate(),
                request.steps(), request.epsilonTolerance() == null ? 0.01 : request.epsilonTolerance(), alongside);
        return new NoiseResponse(noise.noiseMultiplier(), noise.epsilon());
    }
}
