package dev.braid.gateway.apikey;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.braid.common.security.Role;

/** The {@code gateway.api_key} table, through plain SQL (a handful of statements; no ORM needed). */
@Repository
class ApiKeyRepository {

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record StoredKey(UUID id, String tenant, Role role, String name, Instant createdAt, Instant revokedAt,
            ApiKeyPrincipal.RateLimit rateLimit) {

        ApiKeyPrincipal principal() {
            return new ApiKeyPrincipal(id, tenant, role, rateLimit);
        }
    }

    Optional<StoredKey> findActiveByHash(byte[] hash) {
        return jdbc.sql("select * from gateway.api_key where key_hash = ? and revoked_at is null")
                .param(hash)
                .query(ApiKeyRepository::map)
                .optional();
    }

    /** Inserts unless a key with this hash exists; true when inserted. */
    boolean insert(UUID id, String tenant, Role role, String name, byte[] hash, ApiKeyPrincipal.RateLimit limit) {
        return jdbc.sql("""
                insert into gateway.api_key (id, tenant_id, role, name, key_hash, rate_limit_per_second, rate_limit_burst)
                values (?, ?, ?, ?, ?, ?, ?) on conflict (key_hash) do nothing""")
                .params(id, tenant, role.name(), name, hash, limit == null ? null : limit.requestsPerSecond(),
                        limit == null ? null : limit.burst())
                .update() == 1;
    }

    /** Makes the active key with this hash the platform operator; true when there is one. */
    boolean promoteToOperator(byte[] hash) {
        return jdbc.sql("update gateway.api_key set role = 'OPERATOR' where key_hash = ? and revoked_at is null")
                .param(hash).update() == 1;
    }

    /**
     * Makes the active key with this hash the tenant's operator with no limit of its own; false when
     * there is no such active key or it already was one.
     */
    boolean restoreOperator(byte[] hash, String tenant) {
        return jdbc.sql("""
                update gateway.api_key set role = 'OPERATOR', rate_limit_per_second = null, rate_limit_burst = null
                where key_hash = ? and tenant_id = ? and revoked_at is null and (role <> 'OPERATOR'
                    or rate_limit_per_second is not null or rate_limit_burst is not null)""")
                .params(hash, tenant).update() == 1;
    }

    /** The key with this hash, revoked or not. */
    Optional<StoredKey> findByHash(byte[] hash) {
        return jdbc.sql("select * from gateway.api_key where key_hash = ?").param(hash).query(ApiKeyRepository::map).optional();
    }

    /** Sets the key's own rate limit, or back to the default with {@code null}; false when the key is not active. */
    boolean updateRateLimit(UUID id, ApiKeyPrincipal.RateLimit limit) {
        return jdbc.sql("update gateway.api_key set rate_limit_per_second = ?, rate_limit_burst = ? where id = ? and revoked_at is null")
                .params(limit == null ? null : limit.requestsPerSecond(), limit == null ? null : limit.burst(), id)
                .update() == 1;
    }

    /** Those of the keys that exist and are not revoked. */
    java.util.Set<UUID> activeAmong(List<UUID> ids) {
        return new java.util.HashSet<>(jdbc.sql("select id from gateway.api_key where id = any(?) and revoked_at is null")
                .param(ids.toArray(UUID[]::new)).query(UUID.class).list());
    }

    Optional<StoredKey> findById(UUID id) {
        return jdbc.sql("select * from gateway.api_key where id = ?").param(id).query(ApiKeyRepository::map).optional();
    }

    boolean anyActiveOperator() {
        return jdbc.sql("select exists(select 1 from gateway.api_key where role = 'OPERATOR' and revoked_at is null)")
                .query(Boolean.class).single();
    }

    List<StoredKey> findByTenant(String tenant, boolean withOperators, int page, int size) {
        return jdbc.sql("select * from gateway.api_key where tenant_id = ? and (? or role <> 'OPERATOR') "
                        + "order by created_at, id limit ? offset ?")
                .params(tenant, withOperators, size, (long) page * size)
                .query(ApiKeyRepository::map)
                .list();
    }

    long countByTenant(String tenant, boolean withOperators) {
        return jdbc.sql("select count(*) from gateway.api_key where tenant_id = ? and (? or role <> 'OPERATOR')")
                .params(tenant, withOperators).query(Long.class).single();
    }

    boolean revoke(UUID id) {
        return jdbc.sql("update gateway.api_key set revoked_at = now() where id = ? and revoked_at is null")
                .param(id).update() == 1;
    }

    /** Serialises bootstrap across gateway instances for the rest of the current transaction. */
    void lockBootstrap() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('braid.gateway.bootstrap'))").query().singleRow();
    }

    private static StoredKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        Integer perSecond = rs.getObject("rate_limit_per_second", Integer.class);
        Integer burst = rs.getObject("rate_limit_burst", Integer.class);
        return new StoredKey(rs.getObject("id", UUID.class), rs.getString("tenant_id"), Role.valueOf(rs.getString("role")),
                rs.getString("name"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant(),
                perSecond == null || burst == null ? null : new ApiKeyPrincipal.RateLimit(perSecond, burst));
    }
}
