package dev.braid.common.problem;

import org.springframework.http.HttpStatus;

/** 429: the service has no room for this request now; the client should retry after {@code Retry-After} seconds. */
public class TooManyRequests extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequests(String type, String detail, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, type, detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
