package dev.braid.gateway.apikey;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.gateway.upstream.ServiceEndpoints;

/**
 * Issues a job's stream token ({@link StreamTokens}) to a caller that may read the job: the
 * training service is asked for the job with the caller's own identity first, so another
 * tenant's job, or none, is a 404 here as it is everywhere else.
 */
@RestController
@Tag(name = "Training jobs")
class StreamTokenController {

    private final StreamTokens tokens;
    private final InternalTokenCodec codec;
    private final WebClient training;

    StreamTokenController(StreamTokens tokens, InternalTokenCodec codec, ServiceEndpoints services) {
        this.tokens = tokens;
        this.codec = codec;
        this.training = services.client("training").build();
    }

    @Schema(name = "EventStreamToken", description = "Opens the job's event stream from a browser: EventSource(url)")
    record EventStreamToken(@Schema(description = "Pass as access_token; it opens this job's events and nothing else") String token,
            @Schema(description = "After this the token opens nothing; ask for a new one") Instant expiresAt,
            @Schema(description = "The event stream's path with the token, relative to the gateway") String url) {
    }

    @PostMapping("/api/v1/training-jobs/{id}/events/token")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createTrainingJobEventToken", summary = "A short-lived token that opens this job's event stream "
            + "from a browser's EventSource, which cannot send the Authorization header; never put the API key in a URL")
    @Problems(404)
    Mono<EventStreamToken> create(@PathVariable UUID id, ServerWebExchange exchange) {
        ApiKeyPrincipal caller = ApiKeyPrincipal.of(exchange);
        String requestId = exchange.getRequest().getHeaders().getFirst("X-Request-Id");
        return training.get().uri("/api/v1/training-jobs/{id}", id)
                .header(InternalTokenCodec.HEADER, codec.issue(caller.tenant(), caller.role(), caller.keyId().toString(), requestId))
                .retrieve()
                .toBodilessEntity()
                .onErrorMap(WebClientResponseException.NotFound.class, ex -> ApiException.notFound("training job", id))
                .onErrorMap(WebClientRequestException.class, ex -> ServiceUnavailable.of("training service"))
                .map(found -> {
                    StreamTokens.Issued issued = tokens.issue(caller.keyId(), id);
                    return new EventStreamToken(issued.token(), issued.expiresAt(),
                            "/api/v1/training-jobs/" + id + "/events?access_token=" + issued.token());
                });
    }
}
