package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it, so each line can be judged on its own
 * (one bad line is one rejected record), and never holds more than {@code maxLine} bytes: the
 * rest of an over-long line is skipped and the line reported as too long.
 */
final class LineReader {

    /** One line's bytes, or {@code tooLong} when it ran over the limit. */
    record Line(long number, byte[] bytes, boolean tooLong) {
    }

    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long number;

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            byte b = buffer[position++];
            if (b == '\n') {
                break;
            }
            if (tooLong) {
                continue;
            }
            if (length == maxLine) {
                tooLong = true;
                line = null;
                continue;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
            }
            line[length++] = b;
        }
        number++;
        if (tooLong) {
            return new Line(number, null, true);
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return new Line(number, Arrays.copyOf(line, length), false);
    }
}
