package dev.braid.dataset.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts come one after another, each
 * body an {@link InputStream} that ends at the next boundary. Nothing is buffered to disk (a
 * servlet container's multipart support would spool uploads, images in plaintext, to temp files),
 * and memory stays at one buffer whatever the part sizes.
 */
final class MultipartReader {

    private static final int MAX_HEADERS = 16 * 1024;
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=\"([^\"]*)\"");

    /** One part: its form name, its file name when it has one, and its body. */
    record Part(String name, String filename, InputStream body) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean finished;
    private PartStream current;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[64 * 1024 + delimiter.length];
        // the first boundary has no CRLF before it: pretend it had one
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /** The boundary of a {@code multipart/form-data} content type, or null. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        Matcher m = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|([^;\\s]+))").matcher(contentType);
        if (!m.find()) {
            return null;
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        return boundary.length() > 70 ? null : boundary;
    }

    /** The next part, or null after the closing boundary; the previous part's body is skipped if unread. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            new PartStream().transferTo(java.io.OutputStream.nullOutputStream()); // preamble
        }
        else {
            current.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (!ensure(2)) {
            throw new EOFException("the multipart body ends without its closing boundary");
        }
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return null;
        }
        String headers = readHeaders();
        String disposition = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                disposition = line.substring(colon + 1);
            }
        }
        String name = disposition == null ? null : group(NAME, disposition);
        String filename = disposition == null ? null : group(FILENAME, disposition);
        current = new PartStream();
        return new Part(name, filename, current);
    }

    private static String group(Pattern pattern, String value) {
        Matcher m = pattern.matcher(value);
        return m.find() ? m.group(1) : null;
    }

    /** Skips the CRLF after the boundary, then reads header lines up to the blank line. */
    private String readHeaders() throws IOException {
        StringBuilder headers = new StringBuilder();
        while (true) {
            if (!ensure(1)) {
                throw new EOFException("the multipart body ends inside a part's headers");
            }
            headers.append((char) (buffer[position++] & 0xff));
            if (headers.length() > MAX_HEADERS) {
                throw new ArchiveUploads.MalformedUpload("a part's headers are longer than 16 KB");
            }
            int n = headers.length();
            if (n >= 4 && headers.substring(n - 4).equals("\r\n\r\n")) {
                return headers.substring(0, n - 4).strip();
            }
            if (n == 2 && headers.toString().equals("\r\n")) {
                continue; // the line break that ends the boundary line
            }
        }
    }

    /** Makes at least {@code n} bytes available from {@code position}; false at the end of input. */
    private boolean ensure(int n) throws IOException {
        if (limit - position >= n) {
            return true;
        }
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        while (limit < n) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    /** A part's body: the bytes up to the next delimiter. */
    private final class PartStream extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] out, int offset, int length) throws IOException {
            if (ended || length == 0) {
                return ended ? -1 : 0;
            }
            if (!ensure(delimiter.length)) {
                ensure(1);
                throw new EOFException("the multipart body ends inside a part");
            }
            int found = indexOfDelimiter();
            int available;
            if (found == position) {
                ended = true;
                position += delimiter.length;
                return -1;
            }
            available = found >= 0 ? found - position : limit - position - (delimiter.length - 1);
            if (available <= 0) {
                // a possible delimiter starts here but needs more bytes to tell
                if (!fill()) {
                    throw new EOFException("the multipart body ends inside a part");
                }
                return read(out, offset, length);
            }
            int n = Math.min(length, available);
            System.arraycopy(buffer, position, out, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            return ensure(limit - position + 1);
        }

        private int indexOfDelimiter() {
            outer:
            for (int i = position; i + delimiter.length <= limit; i++) {
                for (int j = 0; j < delimiter.length; j++) {
                    if (buffer[i + j] != delimiter[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
