package dev.braid.gateway.apikey;

import java.util.UUID;

import org.springframework.web.server.ServerWebExchange;

import dev.braid.common.security.Role;

/**
 * The key a request authenticated with: its id (never the key), tenant, role and its own rate
 * limit ({@code null} for the gateway's default).
 */
public record ApiKeyPrincipal(UUID keyId, String tenant, Role role, RateLimit rateLimit) {

    public static final String ATTRIBUTE = ApiKeyPrincipal.class.getName();

    /** A key's token bucket: {@code burst} requests at once, refilled at {@code requestsPerSecond}. */
    public record RateLimit(long requestsPerSecond, long burst) {
    }

    public static ApiKeyPrincipal of(ServerWebExchange exchange) {
        ApiKeyPrincipal principal = exchange.getAttribute(ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return principal;
    }

    /** Whether this key may manage keys of the tenant: its own tenant as an admin, any tenant as the operator. */
    boolean mayAdminister(String otherTenant) {
        return role == Role.OPERATOR || role == Role.ADMIN && tenant.equals(otherTenant);
    }
}
