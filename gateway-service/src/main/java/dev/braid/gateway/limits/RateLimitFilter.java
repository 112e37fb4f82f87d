package dev.braid.gateway.limits;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.braid.gateway.GatewayProperties;
import dev.braid.gateway.apikey.ApiKeyPrincipal;
import dev.braid.gateway.web.FilterOrder;
import dev.braid.gateway.web.ProblemResponses;

/**
 * A token bucket per API key (Bucket4j): over the limit, 429 with {@code Retry-After} in whole
 * seconds. Buckets live in this gateway instance; with N instances behind a load balancer a key
 * gets up to N times the rate, which is the documented trade for keeping the hot path local.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    private final GatewayProperties.RateLimit limit;
    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    RateLimitFilter(GatewayProperties properties) {
        this.limit = properties.rateLimit();
    }

    @Override
    public int getOrder() {
        return FilterOrder.RATE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiKeyPrincipal principal = exchange.getAttribute(ApiKeyPrincipal.ATTRIBUTE);
        if (principal == null) {
            return chain.filter(exchange);
        }
        Bucket bucket = buckets.get(principal.keyId(), id -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        exchange.getResponse().getHeaders().set("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        if (probe.isConsumed()) {
            return chain.filter(exchange);
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
        return ProblemResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "This API key is over its limit of " + limit.requestsPerSecond() + " requests per second; retry after "
                        + seconds + " s");
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.burst())
                        .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
