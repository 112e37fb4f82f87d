package dev.braid.dataset.ingest;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import dev.braid.common.image.ImageProbe;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.dataset.DatasetProperties;

/**
 * What archive uploads hold in memory between entries (manifest records waiting for an image that
 * comes later, and the paths already seen), counted as the objects really cost and bounded twice:
 * per upload ({@code maxWaiting}, 413: the archive itself is too demanding) and for the whole
 * service ({@code maxHeldTotal}, 503 with {@code Retry-After}: other uploads hold it now). So no
 * number of uploads at once, however they are built, can fill the heap with what their manifests
 * name. What each upload holds besides (the entry being read, at most an image's size, and records
 * on their way to the writers, {@code ingest.max-in-flight}) is bounded per upload, not here.
 */
@Component
class UploadMemory {

    private final long perUpload;
    private final long total;
    private final AtomicLong held = new AtomicLong();

    UploadMemory(DatasetProperties properties) {
        this.perUpload = properties.archive().maxWaiting().toBytes();
        this.total = properties.archive().maxHeldTotal().toBytes();
    }

    /** A new upload's share, empty; close it when the upload ends, however it ends. */
    Lease lease() {
        return new Lease();
    }

    /** Bytes all uploads hold now. */
    long held() {
        return held.get();
    }

    /** One upload's share of the budget. Used by the upload's reading thread only. */
    final class Lease implements AutoCloseable {

        private long bytes;

        /**
         * Counts {@code n} more bytes held; throws when the upload or the service would pass its
         * limit, having counted nothing. {@code what} says what the upload holds, for the 413.
         */
        void grow(long n, String what) {
            if (bytes + n > perUpload) {
                throw ArchiveGuard.tooDemanding("the upload holds more than " + ImageProbe.describe(perUpload) + " of " + what);
            }
            if (held.addAndGet(n) > total) {
                held.addAndGet(-n);
                throw ServiceUnavailable.busy("Archive uploads in progress hold all the memory this service gives them ("
                        + ImageProbe.describe(total) + "); try again shortly, or put each archive's images before its manifest");
            }
            bytes += n;
        }

        void shrink(long n) {
            long freed = Math.min(n, bytes);
            bytes -= freed;
            held.addAndGet(-freed);
        }

        @Override
        public void close() {
            shrink(bytes);
        }
    }
}
