package dev.braid.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.braid.gateway.GatewayProperties;
import dev.braid.gateway.web.FilterOrder;
import dev.braid.gateway.web.ProblemResponses;

/**
 * Refuses bodies over the limit with 413: at once when {@code Content-Length} says so, and while
 * streaming when a chunked body runs over, so a service never receives more than the limit.
 */
@Component
class BodySizeLimitFilter implements WebFilter, Ordered {

    private final DataSize limit;

    BodySizeLimitFilter(GatewayProperties properties) {
        this.limit = properties.maxBodySize();
    }

    @Override
    public int getOrder() {
        return FilterOrder.BODY_SIZE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit.toBytes()) {
            exchange.getResponse().getHeaders().set("Connection", "close");
            return ProblemResponses.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    new PayloadTooLargeException(limit).getMessage());
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new CountingRequest(exchange.getRequest(), limit);
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private static final class CountingRequest extends ServerHttpRequestDecorator {

        private final DataSize limit;

        CountingRequest(ServerHttpRequest delegate, DataSize limit) {
            super(delegate);
            this.limit = limit;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            AtomicLong seen = new AtomicLong();
            return super.getBody().handle((buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > limit.toBytes()) {
                    org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                    sink.error(new PayloadTooLargeException(limit));
                }
                else {
                    sink.next(buffer);
                }
            });
        }
    }
}
