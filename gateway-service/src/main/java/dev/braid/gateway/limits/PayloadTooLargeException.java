package dev.braid.gateway.limits;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import dev.braid.common.problem.ApiException;

/** A request body ran over {@code braid.gateway.max-body-size}. */
public final class PayloadTooLargeException extends ApiException {

    PayloadTooLargeException(DataSize limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "The request body is larger than the limit of " + limit.toMegabytes() + " MB");
    }
}
