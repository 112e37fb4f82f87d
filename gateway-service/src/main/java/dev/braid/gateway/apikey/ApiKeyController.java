package dev.braid.gateway.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;
import dev.braid.common.security.Role;

/** Admin endpoints for API keys; the key itself appears only in the response that creates it. */
@Validated
@RestController
@RequestMapping("/api/v1/admin/api-keys")
@Tag(name = "Administration", description = "API keys of the caller's tenant (admins), and serving metrics")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    /** A key's own rate limit: {@code burst} requests at once, refilled at {@code requestsPerSecond}. */
    record RateLimitSetting(@NotNull @Min(1) @Max(1_000_000) Long requestsPerSecond, @NotNull @Min(1) @Max(10_000_000) Long burst) {

        ApiKeyPrincipal.RateLimit toLimit() {
            return new ApiKeyPrincipal.RateLimit(requestsPerSecond, burst);
        }

        static RateLimitSetting of(ApiKeyPrincipal.RateLimit limit) {
            return limit == null ? null : new RateLimitSetting(limit.requestsPerSecond(), limit.burst());
        }
    }

    /** {@code tenant} defaults to the caller's own; {@code rateLimit} to the gateway's default. */
    record CreateApiKeyRequest(
            @Size(max = 63) String tenant,
            @NotBlank @Pattern(regexp = "(?i)admin|member|operator", message = "must be admin, member or operator")
            @Schema(allowableValues = {"admin", "member", "operator"}) String role,
            @Size(max = 200) String name,
            @Valid RateLimitSetting rateLimit) {
    }

    /** {@code rateLimit}: the key's own limit, or {@code null} for the gateway's default. */
    record UpdateApiKeyRequest(@Valid RateLimitSetting rateLimit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ApiKey")
    record ApiKeyResponse(UUID id, String tenant, String role, String name,
            @Schema(description = "The key itself: only in the response that creates it") String key, Instant createdAt, Instant revokedAt,
            RateLimitSetting rateLimit) {

        static ApiKeyResponse of(ApiKeyRepository.StoredKey k) {
            return new ApiKeyResponse(k.id(), k.tenant(), k.role().name().toLowerCase(Locale.ROOT), k.name(), null, k.createdAt(),
                    k.revokedAt(), RateLimitSetting.of(k.rateLimit()));
        }
    }

    record ApiKeyPage(List<ApiKeyResponse> items, int page, int size, long total) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createApiKey", summary = "Mint a key for the caller's tenant (admins; another tenant's: the operator)")
    @Problems({403, 422})
    Mono<ApiKeyResponse> create(@Valid @RequestBody CreateApiKeyRequest request, ServerWebExchange exchange) {
        ApiKeyPrincipal caller = admin(exchange);
        String tenant = request.tenant() == null || request.tenant().isBlank() ? caller.tenant() : request.tenant();
        Role role = Role.valueOf(request.role().toUpperCase(Locale.ROOT));
        String name = request.name() == null || request.name().isBlank() ? tenant + " " + request.role() : request.name();
        ApiKeyPrincipal.RateLimit limit = request.rateLimit() == null ? null : request.rateLimit().toLimit();
        return Mono.fromCallable(() -> keys.create(caller, tenant, role, name, limit))
                .subscribeOn(Schedulers.boundedElastic())
                .map(k -> new ApiKeyResponse(k.id(), k.tenant(), k.role().name().toLowerCase(Locale.ROOT), k.name(), k.key(),
                        k.createdAt(), null, RateLimitSetting.of(k.rateLimit())));
    }

    /** The caller's own tenant's keys; another tenant's ({@code ?tenant=}) for the operator only. */
    @GetMapping
    @Operation(operationId = "listApiKeys", summary = "The tenant's keys, without the keys themselves (admins)")
    @Problems(403)
    Mono<ApiKeyPage> list(@RequestParam(required = false) String tenant, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size, ServerWebExchange exchange) {
        ApiKeyPrincipal caller = admin(exchange);
        String of = tenant == null || tenant.isBlank() ? caller.tenant() : tenant;
        return Mono.fromCallable(() -> new ApiKeyPage(keys.list(caller, of, page, size).stream().map(ApiKeyResponse::of).toList(),
                        page, size, keys.count(caller, of)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @PatchMapping("/{id}")
    @Operation(operationId = "updateApiKey", summary = "Set or clear a key's own rate limit (admins)")
    @Problems({403, 404})
    Mono<ApiKeyResponse> update(@PathVariable UUID id, @Valid @RequestBody UpdateApiKeyRequest request, ServerWebExchange exchange) {
        ApiKeyPrincipal caller = admin(exchange);
        ApiKeyPrincipal.RateLimit limit = request.rateLimit() == null ? null : request.rateLimit().toLimit();
        return Mono.fromCallable(() -> ApiKeyResponse.of(keys.updateRateLimit(caller, id, limit)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeApiKey", summary = "Revoke a key of the tenant at once (admins)")
    @Problems({403, 404})
    Mono<Void> revoke(@PathVariable UUID id, ServerWebExchange exchange) {
        ApiKeyPrincipal caller = admin(exchange);
        return Mono.fromRunnable(() -> keys.revoke(caller, id)).subscribeOn(Schedulers.boundedElastic()).then();
    }

    private static ApiKeyPrincipal admin(ServerWebExchange exchange) {
        ApiKeyPrincipal caller = ApiKeyPrincipal.of(exchange);
        if (!caller.role().isAdmin()) {
            throw ApiException.forbidden("Managing API keys needs an admin key");
        }
        return caller;
    }
}
