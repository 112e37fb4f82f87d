package dev.braid.gateway.web;

import java.net.ConnectException;
import java.net.UnknownHostException;

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

/**
 * Errors raised outside a controller (no route matched, a service is down, an {@link ApiException}
 * such as a body running over the limit while streaming) become problems too, ahead of Boot's
 * default JSON error page, and never carry a stack trace or an internal message.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);
    static final String UNAVAILABLE = "The service behind this endpoint is not available; try again shortly";
    static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        if (ex instanceof ApiException api) {
            return ProblemResponses.write(exchange, api.status(), api.type(), api.getMessage());
        }
        if (ex instanceof ResponseStatusException status) {
            HttpStatusCode code = status.getStatusCode();
            String detail = code.value() == 404 ? "No such endpoint: " + exchange.getRequest().getPath().value()
                    : status.getReason() != null ? status.getReason() : "The request failed";
            if (code.value() == 503 || code.value() == 504) {
                detail = UNAVAILABLE;
            }
            return ProblemResponses.write(exchange, code, code.value() == 404 ? "not-found" : "http-" + code.value(), detail);
        }
        if (isUpstreamUnavailable(ex)) {
            log.warn("Upstream not reachable for {}: {}", exchange.getRequest().getPath(), ex.toString());
            exchange.getResponse().getHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
            return ProblemResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", UNAVAILABLE);
        }
        log.error("Unhandled gateway error on {}", exchange.getRequest().getPath(), ex);
        return ProblemResponses.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The gateway failed to handle the request; the request id in the logs tells an operator where");
    }

    /** A service that is down, starting or not resolvable: the client should retry, not report a bug. */
    static boolean isUpstreamUnavailable(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
