package dev.braid.gateway.limits;

import org.springframework.util.unit.DataSize;

/** A request body ran over {@code braid.gateway.max-body-size}. */
public final class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(DataSize limit) {
        super("The request body is larger than the limit of " + limit.toMegabytes() + " MB");
    }
}
