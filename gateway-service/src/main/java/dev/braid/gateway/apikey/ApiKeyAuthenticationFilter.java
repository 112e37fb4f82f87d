package dev.braid.gateway.apikey;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.braid.common.security.RequestPaths;
import dev.braid.gateway.web.FilterOrder;
import dev.braid.gateway.web.ManagementPort;
import dev.braid.gateway.web.ProblemResponses;

/**
 * Requires {@code Authorization: Bearer <api key>} on everything but health, the OpenAPI
 * documents and Swagger UI; a job's event stream also opens with that job's stream token
 * ({@link StreamTokens}). It is a {@link WebFilter}, not a route filter, because it must also
 * guard the gateway's own endpoints (API-key administration), which are not routes.
 */
@Component
class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    private static final List<String> PUBLIC_PREFIXES = List.of("/actuator/health", "/v3/api-docs", "/openapi/",
            "/swagger-ui", "/webjars/");

    /** The query parameter a job's stream token comes in, for clients that cannot set headers. */
    static final String ACCESS_TOKEN = "access_token";

    private final ApiKeyService keys;
    private final StreamTokens streamTokens;
    private final ManagementPort managementPort;

    ApiKeyAuthenticationFilter(ApiKeyService keys, StreamTokens streamTokens, ManagementPort managementPort) {
        this.keys = keys;
        this.streamTokens = streamTokens;
        this.managementPort = managementPort;
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (managementPort.serves(exchange)) {
            // the actuator, reached on its own port (loopback or the pod network); nothing of the API is served there
            return RequestPaths.isUnder(RequestPaths.normalise(path), "/actuator") ? chain.filter(exchange)
                    : ProblemResponses.write(exchange, HttpStatus.NOT_FOUND, "not-found", "Only /actuator is served on this port");
        }
        if (isPublic(path) && exchange.getRequest().getMethod() == HttpMethod.GET) {
            return chain.filter(exchange);
        }
        String key = bearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        String streamToken = exchange.getRequest().getQueryParams().getFirst(ACCESS_TOKEN);
        if (key == null && streamToken != null) {
            return streamOpenedByToken(exchange, chain, path, streamToken);
        }
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

    /**
     * A browser's {@code EventSource} on a job's events, with the job's stream token in place of a
     * key: the token must be genuine, unexpired, for this very job, and its key still active. The
     * token is taken off the request before it goes on, so no service or service log sees it.
     */
    private Mono<Void> streamOpenedByToken(ServerWebExchange exchange, WebFilterChain chain, String path, String token) {
        Matcher events = OpenEventStreams.EVENTS.matcher(path);
        Optional<StreamTokens.Grant> grant = exchange.getRequest().getMethod() == HttpMethod.GET && events.matches()
                ? streamTokens.verify(token).filter(g -> g.jobId().toString().equalsIgnoreCase(events.group(1)))
                : Optional.empty();
        if (grant.isEmpty()) {
            return unauthorized(exchange, "The stream token is not valid for this request, or has expired");
        }
        return Mono.fromCallable(() -> keys.activeById(grant.get().keyId())).subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return unauthorized(exchange, "The key that asked for this stream token has been revoked");
                    }
                    exchange.getAttributes().put(ApiKeyPrincipal.ATTRIBUTE, found.get());
                    URI without = UriComponentsBuilder.fromUri(exchange.getRequest().getURI()).replaceQueryParam(ACCESS_TOKEN)
                            .build(true).toUri();
                    return chain.filter(exchange.mutate().request(exchange.getRequest().mutate().uri(without).build()).build());
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
