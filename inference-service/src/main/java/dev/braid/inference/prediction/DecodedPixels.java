package dev.braid.inference.prediction;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.inference.InferenceProperties;

/**
 * The pixels all requests may hold decoded at once, whatever their number: a request takes its images'
 * pixels (as their headers declare them) before it decodes any, and gives them back once its predictions
 * are answered. Each request is bounded on its own ({@code maxRequestPixels}); this bounds them together.
 */
@Component
class DecodedPixels {

    /** Pixels are counted in units of 1,024, so a semaphore's int covers two trillion. */
    private static final long UNIT = 1024;
    private static final long WAIT_MILLIS = 1000;

    private final Semaphore free;
    private final int capacity;

    DecodedPixels(InferenceProperties properties) {
        if (properties.maxPixelsInFlight() < properties.maxRequestPixels()) {
            throw new IllegalStateException("braid.inference.max-pixels-in-flight must be at least max-request-pixels");
        }
        this.capacity = (int) Math.min(Integer.MAX_VALUE, properties.maxPixelsInFlight() / UNIT);
        this.free = new Semaphore(capacity);
    }

    /** Room for this many decoded pixels, until the lease is closed; 503 when none comes free within a second. */
    Lease take(long pixels) {
        int units = (int) Math.min(capacity, (pixels + UNIT - 1) / UNIT);
        try {
            if (units > 0 && !free.tryAcquire(units, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw ServiceUnavailable.busy("Other predictions hold all the decoded images this service allows at once; "
                        + "try again shortly");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ServiceUnavailable.of("inference service");
        }
        return () -> free.release(units);
    }

    /** Pixels free now, for tests and metrics. */
    long available() {
        return free.availablePermits() * UNIT;
    }

    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
