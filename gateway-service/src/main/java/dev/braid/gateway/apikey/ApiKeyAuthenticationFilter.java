package dev.braid.gateway.apikey;

import java.util.List;
import java.util.Optional;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.braid.gateway.web.FilterOrder;
import dev.braid.gateway.web.ProblemResponses;

/**
 * Requires {@code Authorization: Bearer <api key>} on everything but health, the OpenAPI
 * documents and Swagger UI. It is a {@link WebFilter}, not a route filter, because it must also
 * guard the gateway's own endpoints (API-key administration), which are not routes.
 */
@Component
class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    private static final List<String> PUBLIC_PREFIXES = List.of("/actuator/health", "/v3/api-docs", "/openapi/",
            "/swagger-ui", "/webjars/");

    private final ApiKeyService keys;

    ApiKeyAuthenticationFilter(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (isPublic(path) && exchange.getRequest().getMethod() == HttpMethod.GET) {
            return chain.filter(exchange);
        }
        String key = bearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return unauthorized(exchange, "An API key is required: send Authorization: Bearer <key>");
        }
        Optional<ApiKeyPrincipal> cached = keys.cached(key);
        Mono<Optional<ApiKeyPrincipal>> principal = cached != null ? Mono.just(cached)
                : Mono.fromCallable(() -> keys.authenticate(key)).subscribeOn(Schedulers.boundedElastic());
        return principal.flatMap(found -> {
            if (found.isEmpty()) {
                return unauthorized(exchange, "The API key is not valid or has been revoked");
            }
            exchange.getAttributes().put(ApiKeyPrincipal.ATTRIBUTE, found.get());
            return chain.filter(exchange);
        });
    }

    private static boolean isPublic(String path) {
        return path.equals("/swagger-ui.html") || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = header.substring(7).strip();
        return key.isEmpty() || key.length() > 512 ? null : key;
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"braid\"");
        return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED, "unauthenticated", detail);
    }
}
