package dev.braid.gateway.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ProblemTypes;

/** The gateway's own endpoints answer errors as RFC 9457 problems, like every service. */
@RestControllerAdvice
class GatewayProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblemAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException ex) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status());
        if (ex.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
        }
        return response.body(ex.toProblemDetail());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
        if (GatewayExceptionHandler.isUpstreamUnavailable(ex)) {
            log.warn("Upstream not reachable: {}", ex.toString());
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, GatewayExceptionHandler.UNAVAILABLE);
            body.setType(ProblemTypes.uri("service-unavailable"));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, GatewayExceptionHandler.RETRY_AFTER_SECONDS).body(body);
        }
        log.error("Unhandled error", ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The gateway failed to handle the request; the request id in the logs tells an operator where");
        body.setType(ProblemTypes.uri("internal-error"));
        return ResponseEntity.internalServerError().body(body);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<String> errors = ex.getFieldErrors().stream().map(e -> e.getField() + " " + e.getDefaultMessage()).sorted().toList();
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", errors));
        body.setType(ProblemTypes.uri("invalid-request"));
        body.setProperty("errors", errors);
        return Mono.just(ResponseEntity.badRequest().body(body));
    }

    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(ProblemTypes.uri(status.value() == 400 ? "malformed-request" : "http-" + status.value()));
            problem.setInstance(null);
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }
}
