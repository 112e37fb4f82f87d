package dev.braid.gateway.apikey;

import java.util.UUID;

import org.springframework.web.server.ServerWebExchange;

import dev.braid.common.security.Role;

/** The key a request authenticated with: its id (never the key), tenant and role. */
public record ApiKeyPrincipal(UUID keyId, String tenant, Role role) {

    public static final String ATTRIBUTE = ApiKeyPrincipal.class.getName();

    public static ApiKeyPrincipal of(ServerWebExchange exchange) {
        ApiKeyPrincipal principal = exchange.getAttribute(ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return principal;
    }
}
