package dev.braid.gateway.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
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

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.Role;

/** Admin endpoints for API keys; the key itself appears only in the response that creates it. */
@Validated
@RestController
@RequestMapping("/api/v1/admin/api-keys")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateApiKeyRequest(
            @NotBlank @Size(max = 63) String tenant,
            @NotBlank @Pattern(regexp = "(?i)admin|member", message = "must be admin or member") String role,
            @Size(max = 200) String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ApiKeyResponse(UUID id, String tenant, String role, String name, String key, Instant createdAt, Instant revokedAt) {
    }

    record ApiKeyPage(List<ApiKeyResponse> items, int page, int size, long total) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<ApiKeyResponse> create(@Valid @RequestBody CreateApiKeyRequest request, ServerWebExchange exchange) {
        requireAdmin(exchange);
        Role role = Role.valueOf(request.role().toUpperCase(Locale.ROOT));
        String name = request.name() == null || request.name().isBlank() ? request.tenant() + " " + request.role() : request.name();
        return Mono.fromCallable(() -> keys.create(request.tenant(), role, name))
                .subscribeOn(Schedulers.boundedElastic())
                .map(k -> new ApiKeyResponse(k.id(), k.tenant(), k.role().name().toLowerCase(Locale.ROOT), k.name(), k.key(),
                        k.createdAt(), null));
    }

    @GetMapping
    Mono<ApiKeyPage> list(@RequestParam String tenant, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size, ServerWebExchange exchange) {
        requireAdmin(exchange);
        return Mono.fromCallable(() -> new ApiKeyPage(keys.list(tenant, page, size).stream()
                        .map(k -> new ApiKeyResponse(k.id(), k.tenant(), k.role().name().toLowerCase(Locale.ROOT), k.name(),
                                null, k.createdAt(), k.revokedAt()))
                        .toList(), page, size, keys.count(tenant)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> revoke(@PathVariable UUID id, ServerWebExchange exchange) {
        requireAdmin(exchange);
        return Mono.fromRunnable(() -> keys.revoke(id)).subscribeOn(Schedulers.boundedElastic()).then();
    }

    private static void requireAdmin(ServerWebExchange exchange) {
        if (ApiKeyPrincipal.of(exchange).role() != Role.ADMIN) {
            throw ApiException.forbidden("managing API keys needs an admin key");
        }
    }
}
