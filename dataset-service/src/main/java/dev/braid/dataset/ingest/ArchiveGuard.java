package dev.braid.dataset.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;

/**
 * Counts what an archive expands to against what was read of it, and stops it (413) the moment it
 * expands past the total or the ratio allowed: a zip bomb is refused before it is inflated.
 */
final class ArchiveGuard {

    private static final long RATIO_CHECK_AFTER = 1024 * 1024;

    private final DatasetProperties.Archive limits;
    private final CountingStream compressed;
    private long uncompressed;

    ArchiveGuard(InputStream body, DatasetProperties.Archive limits) {
        this.compressed = new CountingStream(body);
        this.limits = limits;
    }

    /** The raw body, counted, for the ZIP reader to read from. */
    InputStream body() {
        return compressed;
    }

    /** Wraps one entry's decompressed data; closing it leaves the archive open. */
    InputStream entry(InputStream zip) {
        return new FilterInputStream(zip) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public void close() {
                // the archive stays open for the next entry
            }
        };
    }

    private void count(long n) {
        uncompressed += n;
        if (uncompressed > limits.maxUncompressed().toBytes()) {
            throw tooLarge("the archive expands to more than " + limits.maxUncompressed().toMegabytes() + " MB");
        }
        if (uncompressed > RATIO_CHECK_AFTER && uncompressed > (double) limits.maxRatio() * Math.max(1, compressed.count)) {
            throw tooLarge("the archive expands more than " + limits.maxRatio() + " times its compressed size");
        }
    }

    static ApiException tooLarge(String detail) {
        return new ArchiveTooLarge(detail + "; it looks like a zip bomb, and nothing from it was kept");
    }

    /** 413 for an archive whose shape, not its expansion, asks too much: what it holds, or what it would write. */
    static ApiException tooDemanding(String detail) {
        return new ArchiveTooLarge(detail + "; nothing from it was kept");
    }

    /** 413: the archive was refused as a whole for its size. */
    static final class ArchiveTooLarge extends ApiException {

        ArchiveTooLarge(String detail) {
            super(HttpStatus.CONTENT_TOO_LARGE, "archive-too-large", detail);
        }
    }

    private static final class CountingStream extends FilterInputStream {

        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
