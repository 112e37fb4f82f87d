package dev.braid.inference.prediction;

import dev.braid.common.problem.TooManyRequests;

/** 429: the model's batching queue has no room; the client should retry after a second. */
final class QueueFull extends TooManyRequests {

    QueueFull(String detail) {
        super("queue-full", detail, 1);
    }
}
