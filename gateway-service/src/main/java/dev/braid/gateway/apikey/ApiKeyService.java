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
    private final Cache<String, Optional<ApiKeyPrincipal>> cache;

    ApiKeyService(ApiKeyRepository repository, GatewayProperties properties) {
        this.repository = repository;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.keyCacheTtl())
                .maximumSize(100_000)
                .build();
    }

    public record CreatedKey(UUID id, String tenant, Role role, String name, String key, java.time.Instant createdAt) {
    }

    /** The principal for a presented key, if it is known and not revoked (may block on the database). */
    Optional<ApiKeyPrincipal> authenticate(String presentedKey) {
        byte[] hash = ApiKeys.hash(presentedKey);
        return cache.get(java.util.HexFormat.of().formatHex(hash), ignored -> repository.findActiveByHash(hash)
                .map(k -> new ApiKeyPrincipal(k.id(), k.tenant(), k.role())));
    }

    /** A cached answer for the key, without touching the database; null when not cached. */
    Optional<ApiKeyPrincipal> cached(String presentedKey) {
        return cache.getIfPresent(java.util.HexFormat.of().formatHex(ApiKeys.hash(presentedKey)));
    }

    CreatedKey create(String tenant, Role role, String name) {
        if (!Caller.isValidTenant(tenant)) {
            throw ApiException.unprocessable("invalid-tenant",
                    "tenant must be 1-63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        String key = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        repository.insert(id, tenant, role, name, ApiKeys.hash(key));
        ApiKeyRepository.StoredKey stored = repository.findById(id).orElseThrow();
        return new CreatedKey(id, tenant, role, name, key, stored.createdAt());
    }

    List<ApiKeyRepository.StoredKey> list(String tenant, int page, int size) {
        return repository.findByTenant(tenant, page, size);
    }

    long count(String tenant) {
        return repository.countByTenant(tenant);
    }

    void revoke(UUID id) {
        if (!repository.revoke(id)) {
            throw ApiException.notFound("API key", id);
        }
        cache.asMap().entrySet().removeIf(e -> e.getValue().map(p -> p.keyId().equals(id)).orElse(false));
    }
}
