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
 * A token bucket per API key (Bucket4j), sized by the key's own limit or the gateway's default:
 * over it, 429 with {@code Retry-After} in whole seconds. Buckets live in this gateway instance;
 * with N instances behind a load balancer a key gets up to N times the rate, the documented trade
 * for keeping the hot path free of a database round trip. A changed limit starts a fresh bucket.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    private record BucketKey(UUID keyId, ApiKeyPrincipal.RateLimit limit) {
    }

    private final ApiKeyPrincipal.RateLimit defaultLimit;
    private final Cache<BucketKey, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    RateLimitFilter(GatewayProperties properties) {
        this.defaultLimit = new ApiKeyPrincipal.RateLimit(properties.rateLimit().requestsPerSecond(),
                properties.rateLimit().burst());
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
        ApiKeyPrincipal.RateLimit limit = principal.rateLimit() != null ? principal.rateLimit() : defaultLimit;
        Bucket bucket = buckets.get(new BucketKey(principal.keyId(), limit), key -> newBucket(key.limit()));
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

    private static Bucket newBucket(ApiKeyPrincipal.RateLimit limit) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.burst())
                        .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
