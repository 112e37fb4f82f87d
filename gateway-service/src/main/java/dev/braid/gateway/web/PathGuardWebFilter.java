package dev.braid.gateway.web;

import java.util.Optional;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.braid.common.security.RequestPaths;

/**
 * Refuses, before anything else looks at it, a path that could resolve to something other than it
 * reads: dot segments (plain or encoded), encoded slashes, backslashes, {@code ;} and double
 * encoding. Routes match the raw path and forward it unchanged, so a path that a service would
 * resolve differently (to {@code /internal/**}, say) must never get that far.
 */
@Component
class PathGuardWebFilter implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return FilterOrder.PATH_GUARD;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String raw = exchange.getRequest().getURI().getRawPath();
        Optional<String> ambiguity = raw == null ? Optional.of("no path") : RequestPaths.ambiguity(raw);
        if (ambiguity.isPresent()) {
            return ProblemResponses.write(exchange, HttpStatus.BAD_REQUEST, "invalid-path",
                    "The request path holds " + ambiguity.get() + "; Braid's paths are plain segments");
        }
        return chain.filter(exchange);
    }
}
