package dev.braid.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
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
 * Record uploads, which the dataset service streams, have their own, larger limit; every other
 * body is parsed whole by its service and stays small.
 */
@Component
class BodySizeLimitFilter implements WebFilter, Ordered {

    private static final long SWALLOW_BYTES = 32L * 1024 * 1024;
    private static final Pattern UPLOAD = Pattern.compile("/api/v1/datasets/[^/]+/records");

    private final DataSize bodyLimit;
    private final DataSize uploadLimit;

    BodySizeLimitFilter(GatewayProperties properties) {
        this.bodyLimit = properties.maxBodySize();
        this.uploadLimit = properties.maxUploadSize();
    }

    @Override
    public int getOrder() {
        return FilterOrder.BODY_SIZE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        DataSize limit = UPLOAD.matcher(exchange.getRequest().getPath().value()).matches() ? uploadLimit : bodyLimit;
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit.toBytes()) {
            Mono<Void> refuse = ProblemResponses.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    new PayloadTooLargeException(limit).getMessage());
            if (declared - limit.toBytes() > SWALLOW_BYTES) {
                exchange.getResponse().getHeaders().set("Connection", "close");
                return refuse;
            }
            // like Tomcat's swallow: read and drop a moderately oversized body first, so the client,
            // still sending, reliably reads the 413 instead of a reset connection
            return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then(refuse);
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
                    DataBufferUtils.release(buffer);
                    sink.error(new PayloadTooLargeException(limit));
                }
                else {
                    sink.next(buffer);
                }
            });
        }
    }
}
