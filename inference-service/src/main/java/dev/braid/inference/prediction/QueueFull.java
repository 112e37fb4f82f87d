package dev.braid.inference.prediction;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** 429: the model's batching queue has no room; the client should retry after a second. */
final class QueueFull extends ApiException {

    QueueFull(String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, "queue-full", detail);
    }

    @Override
    public long retryAfterSeconds() {
        return 1;
    }
}
