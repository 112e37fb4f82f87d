package dev.braid.gateway.apikey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import dev.braid.common.security.RequestPaths;
import dev.braid.gateway.GatewayProperties;
import dev.braid.gateway.web.FilterOrder;
import dev.braid.gateway.web.ProblemResponses;

/**
 * The job event streams open through this gateway, by the API key that opened them (directly or through a stream
 * token): at most {@code maxStreamsPerKey} each (429 above), and closed as soon as their key is revoked, at once when
 * this gateway revokes it and within {@code keyCacheTtl} when another replica did, so a revoked key stops hearing
 * anything, not only from its next request on.
 */
@Component
class OpenEventStreams implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(OpenEventStreams.class);
    static final Pattern EVENTS = Pattern.compile("/api/v1/training-jobs/([0-9a-fA-F-]{36})/events");

    private final ApiKeyRepository repository;
    private final int maxPerKey;
    private final Map<UUID, Set<Sinks.One<Boolean>>> byKey = new ConcurrentHashMap<>();
    private final Disposable sweep;

    OpenEventStreams(ApiKeyRepository repository, GatewayProperties properties) {
        this.repository = repository;
        this.maxPerKey = properties.maxStreamsPerKey();
        Duration every = properties.keyCacheTtl();
        this.sweep = Flux.interval(every, every, Schedulers.boundedElastic()).subscribe(tick -> closeRevoked());
    }

    @Override
    public int getOrder() {
        return FilterOrder.RATE_LIMIT + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiKeyPrincipal principal = exchange.getAttribute(ApiKeyPrincipal.ATTRIBUTE);
        HttpMethod method = exchange.getRequest().getMethod();
        // on the path as a service resolves it, and HEAD too (served by the same handler): no other spelling escapes
        if (principal == null || method != HttpMethod.GET && method != HttpMethod.HEAD
                || !EVENTS.matcher(RequestPaths.normalise(exchange.getRequest().getPath().pathWithinApplication().value())).matches()) {
            return chain.filter(exchange);
        }
        UUID key = principal.keyId();
        Sinks.One<Boolean> closer = Sinks.one();
        boolean[] admitted = new boolean[1];
        byKey.compute(key, (k, streams) -> {
            Set<Sinks.One<Boolean>> open = streams != null ? streams : ConcurrentHashMap.newKeySet();
            if (open.size() < maxPerKey) {
                open.add(closer);
                admitted[0] = true;
            }
            return open.isEmpty() ? null : open;
        });
        if (!admitted[0]) {
            exchange.getResponse().getHeaders().set("Retry-After", "5");
            return ProblemResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", "This API key already has "
                    + maxPerKey + " event streams open through this gateway, the most one key may; close one first");
        }
        return chain.filter(exchange).takeUntilOther(closer.asMono()).doFinally(signal -> forget(key, closer));
    }

    /** Ends every stream the key holds open here. */
    void closeStreamsOf(UUID key) {
        Set<Sinks.One<Boolean>> streams = byKey.get(key);
        if (streams != null) {
            streams.forEach(closer -> closer.tryEmitValue(true));
        }
    }

    /** Streams open now by this key, here. */
    int openBy(UUID key) {
        Set<Sinks.One<Boolean>> streams = byKey.get(key);
        return streams == null ? 0 : streams.size();
    }

    /** Closes the streams of keys another replica revoked (or the database says are gone). */
    void closeRevoked() {
        List<UUID> keys = List.copyOf(byKey.keySet());
        if (keys.isEmpty()) {
            return;
        }
        try {
            Set<UUID> active = repository.activeAmong(keys);
            keys.stream().filter(k -> !active.contains(k)).forEach(this::closeStreamsOf);
        }
        catch (RuntimeException ex) {
            log.debug("Could not check the keys of open event streams: {}", ex.toString());
        }
    }

    private void forget(UUID key, Sinks.One<Boolean> closer) {
        byKey.computeIfPresent(key, (k, streams) -> {
            streams.remove(closer);
            return streams.isEmpty() ? null : streams;
        });
    }

    @PreDestroy
    void stop() {
        sweep.dispose();
    }
}
