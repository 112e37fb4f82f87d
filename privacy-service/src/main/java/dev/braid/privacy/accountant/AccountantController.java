package dev.braid.privacy.accountant;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.internalapi.AccountantApi;
import dev.braid.common.internalapi.AccountantApi.Mechanism;
import dev.braid.common.internalapi.AccountantApi.NoiseMultiplierRequest;
import dev.braid.common.internalapi.AccountantApi.NoiseMultiplierResponse;
import dev.braid.common.openapi.Problems;

@RestController
@RequestMapping("/api/v1/privacy/accountant")
@Tag(name = "Privacy", description = "The DP accountant, per-dataset privacy budgets and the tenant's key-encryption keys")
class AccountantController {

    /** The largest RDP order a request may ask for: an integer order α sums α + 1 terms per mechanism. */
    static final String MAX_ORDER = "1024";

    /** The finest ε tolerance of a σ search (the request's own bound, {@link AccountantApi#MIN_TOLERANCE}). */
    static final String MIN_TOLERANCE = AccountantApi.MIN_TOLERANCE;

    private final AccountantService accountant;

    AccountantController(AccountantService accountant) {
        this.accountant = accountant;
    }

    record EpsilonRequest(@NotEmpty List<@NotNull @Valid Mechanism> mechanisms,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta,
            List<@NotNull @DecimalMin(value = "1", inclusive = false) @DecimalMax(MAX_ORDER) Double> orders) {
    }

    @Schema(description = "The smallest ε over the orders, and the order that gave it")
    record EpsilonResponse(double epsilon, double order) {
    }


    @PostMapping
    @Operation(operationId = "computeEpsilon", summary = "ε of composed subsampled Gaussian mechanisms at δ (RDP, Balle et al. 2020 conversion)")
    @Problems(422)
    EpsilonResponse epsilon(@Valid @RequestBody EpsilonRequest request) {
        RdpAccountant.Epsilon result = accountant.epsilon(request.mechanisms().stream().map(AccountantController::mechanism).toList(),
                request.delta(), request.orders());
        return new EpsilonResponse(result.epsilon(), result.order());
    }

    @PostMapping("/noise-multiplier")
    @Operation(operationId = "findNoiseMultiplier", summary = "The smallest noise multiplier σ whose ε stays within a target")
    @Problems(422)
    NoiseMultiplierResponse noiseMultiplier(@Valid @RequestBody NoiseMultiplierRequest request) {
        List<RdpAccountant.Mechanism> alongside = request.alongside() == null ? List.of()
                : request.alongside().stream().map(AccountantController::mechanism).toList();
        RdpAccountant.Noise noise = accountant.noiseMultiplier(request.targetEpsilon(), request.delta(), request.sampleRate(),
                request.steps(), request.epsilonTolerance() == null ? 0.01 : request.epsilonTolerance(), alongside);
        return new NoiseMultiplierResponse(noise.noiseMultiplier(), noise.epsilon());
    }

    private static RdpAccountant.Mechanism mechanism(Mechanism m) {
        return new RdpAccountant.Mechanism(m.sampleRate(), m.noiseMultiplier(), m.steps());
    }
}
