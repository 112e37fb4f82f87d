package dev.braid.common.persistence;

import org.hibernate.context.spi.CurrentTenantIdentifierResolver;

import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;

/**
 * Hibernate's current tenant: the tenant of the caller bound to this thread. With no caller (start-up, a scheduler
 * outside {@link CallerContext#runAs}) it is a value no tenant can have, so such a session reads nothing and cannot
 * write a tenant's row; no tenant is "root".
 */
public final class CallerTenantResolver implements CurrentTenantIdentifierResolver<String> {

    /** Fails {@link Caller}'s tenant pattern, so it never equals a stored tenant. */
    static final String NO_TENANT = "-";

    @Override
    public String resolveCurrentTenantIdentifier() {
        return CallerContext.find().map(Caller::tenant).orElse(NO_TENANT);
    }

    @Override
    public boolean validateExistingCurrentSessions() {
        return true;
    }

    @Override
    public boolean isRoot(String tenant) {
        return false;
    }
}
