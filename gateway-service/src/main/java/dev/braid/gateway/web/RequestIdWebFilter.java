package dev.braid.gateway.web;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.braid.common.web.RequestIds;

/**
 * Gives every request an {@code X-Request-Id} (the client's, when it is a plain token), passes it
 * on to the services, returns it to the client and writes one access-log line per request.
 */
@Component
class RequestIdWebFilter implements WebFilter, Ordered {

    public static final String ATTRIBUTE = "braid.requestId";
    private static final Logger access = LoggerFactory.getLogger("dev.braid.gateway.access");

    @Override
    public int getOrder() {
        return FilterOrder.REQUEST_ID;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requestId = RequestIds.sanitize(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> h.set(RequestIds.HEADER, requestId))
                .build();
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, requestId);
        ServerWebExchange mutated = exchange.mutate().request(request).build();
        mutated.getAttributes().put(ATTRIBUTE, requestId);
        long start = System.nanoTime();
        return chain.filter(mutated).doFinally(signal -> {
            HttpStatusCode status = mutated.getResponse().getStatusCode();
            access.info("{} {} {} {}ms requestId={} traceId={}", request.getMethod(), request.getPath().value(),
                    status == null ? "-" : status.value(), (System.nanoTime() - start) / 1_000_000, requestId,
                    traceId(exchange));
        });
    }

    /**
     * The trace this request belongs to (the client's {@code traceparent}, or one the gateway began), from the
     * request's observation: the access line then joins the services' log lines and spans; "-" when none is traced.
     */
    static String traceId(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(span -> span.context().traceId())
                .orElse("-");
    }
}
