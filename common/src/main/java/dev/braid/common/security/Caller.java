package dev.braid.common.security;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Who a request acts for, as the gateway vouched for it in the internal token: the tenant whose
 * data it may touch, the role of the key, the key's id (never the key) and the request id.
 * {@code service} says the token was minted by a service for a call to another service; the
 * gateway's tokens for client requests never are, so {@code /internal/**} endpoints can refuse
 * a client's token however its request got there.
 */
public record Caller(String tenant, Role role, String subject, String requestId, Instant expiresAt, boolean service) {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Caller {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must match " + TENANT.pattern());
        }
        if (role == null || subject == null || expiresAt == null) {
            throw new IllegalArgumentException("role, subject and expiresAt are required");
        }
    }

    /** A caller as a client request's token names it (not a service call). */
    public Caller(String tenant, Role role, String subject, String requestId, Instant expiresAt) {
        this(tenant, role, subject, requestId, expiresAt, false);
    }

    public static boolean isValidTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    public boolean isAdmin() {
        return role.isAdmin();
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }
}
