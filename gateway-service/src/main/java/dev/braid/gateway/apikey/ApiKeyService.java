package dev.braid.gateway.apikey;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.Caller;
import dev.braid.common.security.Role;
import dev.braid.gateway.GatewayProperties;

/**
 * Creates, looks up and revokes API keys. Look-ups are cached by hash for a short time so the
 * database is not on every request's path; a revocation on this instance bites at once, on other
 * instances within {@code braid.gateway.key-cache-ttl}.
 */
@Service
public class ApiKeyService {

    private final ApiKeyRepository repository;
    private final OpenEventStreams streams;
    private final Cache<String, Optional<ApiKeyPrincipal>> cache;

    ApiKeyService(ApiKeyRepository repository, OpenEventStreams streams, GatewayProperties properties) {
        this.repository = repository;
        this.streams = streams;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.keyCacheTtl())
                .maximumSize(100_000)
                .build();
    }

    public record CreatedKey(UUID id, String tenant, Role role, String name, String key, java.time.Instant createdAt,
            ApiKeyPrincipal.RateLimit rateLimit) {
    }

    /** The principal for a presented key, if it is known and not revoked (may block on the database). */
    Optional<ApiKeyPrincipal> authenticate(String presentedKey) {
        byte[] hash = ApiKeys.hash(presentedKey);
        return cache.get(java.util.HexFormat.of().formatHex(hash),
                ignored -> repository.findActiveByHash(hash).map(ApiKeyRepository.StoredKey::principal));
    }

    /** The principal of the key with this id while it is active (blocks on the database). */
    Optional<ApiKeyPrincipal> activeById(UUID id) {
        return repository.findById(id).filter(k -> k.revokedAt() == null).map(ApiKeyRepository.StoredKey::principal);
    }

    /** A cached answer for the key, without touching the database; null when not cached. */
    Optional<ApiKeyPrincipal> cached(String presentedKey) {
        return cache.getIfPresent(java.util.HexFormat.of().formatHex(ApiKeys.hash(presentedKey)));
    }

    /**
     * A new key for the tenant. An admin mints keys for its own tenant only and never an operator
     * key; the operator may mint any key for any tenant.
     */
    CreatedKey create(ApiKeyPrincipal caller, String tenant, Role role, String name, ApiKeyPrincipal.RateLimit limit) {
        if (!Caller.isValidTenant(tenant)) {
            throw ApiException.unprocessable("invalid-tenant",
                    "tenant must be 1-63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        requireAdministers(caller, tenant);
        if (role == Role.OPERATOR && caller.role() != Role.OPERATOR) {
            throw ApiException.forbidden("only the platform operator can create operator keys");
        }
        String key = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        repository.insert(id, tenant, role, name, ApiKeys.hash(key), limit);
        ApiKeyRepository.StoredKey stored = repository.findById(id).orElseThrow();
        return new CreatedKey(id, tenant, role, name, key, stored.createdAt(), stored.rateLimit());
    }

    /** The tenant's keys; operator keys only to the operator (the bootstrap key lives in tenant {@code default}). */
    List<ApiKeyRepository.StoredKey> list(ApiKeyPrincipal caller, String tenant, int page, int size) {
        requireAdministers(caller, tenant);
        return repository.findByTenant(tenant, seesOperators(caller), page, size);
    }

    long count(ApiKeyPrincipal caller, String tenant) {
        return repository.countByTenant(tenant, seesOperators(caller));
    }

    void revoke(ApiKeyPrincipal caller, UUID id) {
        administered(caller, id);
        if (!repository.revoke(id)) {
            throw ApiException.notFound("API key", id);
        }
        forget(id);
        streams.closeStreamsOf(id);
    }

    /** Sets the key's own rate limit ({@code null}: the gateway's default); bites at once here, elsewhere within the key cache's time. */
    ApiKeyRepository.StoredKey updateRateLimit(ApiKeyPrincipal caller, UUID id, ApiKeyPrincipal.RateLimit limit) {
        administered(caller, id);
        if (!repository.updateRateLimit(id, limit)) {
            throw ApiException.notFound("API key", id);
        }
        forget(id);
        return repository.findById(id).orElseThrow();
    }

    /**
     * The key, when the caller administers it: its tenant's, and an operator key only for the
     * operator, so no tenant admin can revoke or throttle the platform's way in. Any other key is
     * reported as not existing at all.
     */
    private ApiKeyRepository.StoredKey administered(ApiKeyPrincipal caller, UUID id) {
        return repository.findById(id)
                .filter(k -> caller.mayAdminister(k.tenant()) && (k.role() != Role.OPERATOR || seesOperators(caller)))
                .orElseThrow(() -> ApiException.notFound("API key", id));
    }

    private static boolean seesOperators(ApiKeyPrincipal caller) {
        return caller.role() == Role.OPERATOR;
    }

    private static void requireAdministers(ApiKeyPrincipal caller, String tenant) {
        if (!caller.mayAdminister(tenant)) {
            throw ApiException.forbidden(caller.role().isAdmin()
                    ? "An admin key manages its own tenant's keys only; other tenants need the platform operator"
                    : "Managing API keys needs an admin key");
        }
    }

    private void forget(UUID id) {
        cache.asMap().entrySet().removeIf(e -> e.getValue().map(p -> p.keyId().equals(id)).orElse(false));
    }
}
