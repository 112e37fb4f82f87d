package dev.braid.gateway.web;

import java.net.ConnectException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import dev.braid.common.problem.ApiException;
import dev.braid.gateway.limits.PayloadTooLargeException;

/**
 * Errors raised outside a controller (no route matched, a service is down, a body ran over the
 * limit while streaming) become problems too, ahead of Boot's default JSON error page, and never
 * carry a stack trace or an internal message.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        if (ex instanceof PayloadTooLargeException tooLarge) {
            return ProblemResponses.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage());
        }
        if (ex instanceof ApiException api) {
            return ProblemResponses.write(exchange, api.status(), api.type(), api.getMessage());
        }
        if (ex instanceof ResponseStatusException status) {
            HttpStatusCode code = status.getStatusCode();
            String detail = code.value() == 404 ? "No such endpoint: " + exchange.getRequest().getPath().value()
                    : status.getReason() != null ? status.getReason() : "The request failed";
            if (code.value() == 503 || code.value() == 504) {
                detail = "The service behind this endpoint is not available; try again shortly";
            }
            return ProblemResponses.write(exchange, code, code.value() == 404 ? "not-found" : "http-" + code.value(), detail);
        }
        if (hasCause(ex, ConnectException.class)) {
            log.warn("Upstream not reachable for {}: {}", exchange.getRequest().getPath(), ex.toString());
            exchange.getResponse().getHeaders().set("Retry-After", "5");
            return ProblemResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    "The service behind this endpoint is not available; try again shortly");
        }
        log.error("Unhandled gateway error on {}", exchange.getRequest().getPath(), ex);
        return ProblemResponses.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The gateway failed to handle the request; the request id in the logs tells an operator where");
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
