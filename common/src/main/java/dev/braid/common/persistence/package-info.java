/**
 * JPA shared by the services that use it: every entity's {@code @TenantId} column is filled and filtered from the
 * caller bound to the thread, so tenant scoping lives here, once, rather than in a {@code where tenant_id = ?} per
 * query. Work that must cross tenants (revocation sweeps, claims) stays on {@code JdbcClient} and says so.
 */
package dev.braid.common.persistence;
