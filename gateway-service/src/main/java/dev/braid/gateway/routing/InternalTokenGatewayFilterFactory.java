package dev.braid.gateway.routing;

import java.util.Locale;
import java.util.Set;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.gateway.apikey.ApiKeyPrincipal;

/**
 * Replaces whatever identity a client claimed with what the gateway knows: strips the client's
 * {@code Authorization} (the API key never reaches a service) and every tenant or identity header,
 * then adds a short-lived signed internal token for the authenticated key's tenant and role.
 * A request no key authenticated (none is routed today) would get a token for the {@code system} tenant.
 */
@Component
public class InternalTokenGatewayFilterFactory extends AbstractGatewayFilterFactory<InternalTokenGatewayFilterFactory.Config> {

    private static final Set<String> IDENTITY_HEADERS = Set.of("authorization", "x-tenant", "x-tenant-id", "x-user",
            "x-user-id", "x-role", "x-forwarded-user", "x-forwarded-email", "x-auth-request-user", "x-api-key",
            "x-remote-user", "remote-user");

    private final InternalTokenCodec codec;

    public InternalTokenGatewayFilterFactory(InternalTokenCodec codec) {
        super(Config.class);
        this.codec = codec;
    }

    public static class Config {
    }

    @Override
    public GatewayFilter apply(Config config) {
        return (exchange, chain) -> {
            ApiKeyPrincipal principal = exchange.getAttribute(ApiKeyPrincipal.ATTRIBUTE);
            String requestId = exchange.getRequest().getHeaders().getFirst("X-Request-Id");
            String token = principal != null
                    ? codec.issue(principal.tenant(), principal.role(), principal.keyId().toString(), requestId)
                    : codec.issue("system", Role.MEMBER, "gateway", requestId);
            ServerHttpRequest request = exchange.getRequest().mutate()
                    .headers(headers -> {
                        stripIdentity(headers);
                        headers.set(InternalTokenCodec.HEADER, token);
                    })
                    .build();
            return chain.filter(exchange.mutate().request(request).build());
        };
    }

    static void stripIdentity(HttpHeaders headers) {
        headers.headerNames().stream()
                .filter(name -> {
                    String lower = name.toLowerCase(Locale.ROOT);
                    return IDENTITY_HEADERS.contains(lower) || lower.startsWith("braid-") || lower.startsWith("x-braid-");
                })
                .toList()
                .forEach(headers::remove);
    }
}
