package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code manifest.csv}: RFC 4180 (quoted fields, doubled quotes, newlines inside quotes), a header
 * naming the columns ({@code id, text, image, imageBase64, label}; unknown columns are refused). Each
 * row becomes the same JSON record a {@code manifest.jsonl} line would be, numbered by the line it starts on.
 */
final class CsvManifest {

    private static final Set<String> COLUMNS = Set.of("id", "text", "image", "imagebase64", "label");
    /** More fields than any valid row has; a longer row is refused before it can fill memory. */
    private static final int MAX_FIELDS = 16;

    /** One row as a JSON record, or the reason the row cannot be one. */
    record Row(long line, ObjectNode record, String problem) {
    }

    interface RowSink {
        void accept(Row row);
    }

    private final Reader reader;
    private final int maxRow;
    private int rowLength;
    private long line = 1;
    private int pushedBack = -2;

    /** {@code maxRow}: the most characters one row may hold, all its fields together. */
    CsvManifest(InputStream in, int maxRow) {
        this.maxRow = maxRow;
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Reads every row; fails with an {@link IllegalArgumentException} when the header itself is unusable. */
    void read(RowSink sink) throws IOException {
        List<String> header;
        try {
            header = nextRow();
        }
        catch (CharacterCodingException ex) {
            throw new IllegalArgumentException("manifest.csv is not valid UTF-8");
        }
        if (header == null) {
            return;
        }
        List<String> columns = new ArrayList<>();
        for (String name : header) {
            String column = name.strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(column)) {
                throw new IllegalArgumentException("manifest.csv has an unknown column '" + RecordValidator.abbreviate(name)
                        + "'; the columns are id, text, image, imageBase64 and label");
            }
            columns.add(column.equals("imagebase64") ? "imageBase64" : column);
        }
        while (true) {
            long start = line;
            List<String> fields;
            try {
                fields = nextRow();
            }
            catch (CharacterCodingException ex) {
                sink.accept(new Row(start, null, "the line is not valid UTF-8; the rest of manifest.csv was not read"));
                return;
            }
            catch (IllegalArgumentException ex) {
                sink.accept(new Row(start, null, ex.getMessage()));
                return;
            }
            if (fields == null) {
                return;
            }
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue;
            }
            if (fields.size() != columns.size()) {
                sink.accept(new Row(start, null, "the row has " + fields.size() + " fields, the header " + columns.size()));
                continue;
            }
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < columns.size(); i++) {
                if (!fields.get(i).isEmpty()) {
                    record.put(columns.get(i), fields.get(i));
                }
            }
            sink.accept(new Row(start, record, null));
        }
    }

    /** The next row's fields, or null at the end. */
    private List<String> nextRow() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        rowLength = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (c == -1) {
                if (quoted) {
                    throw new IllegalArgumentException("a quoted field is not closed before the end of manifest.csv");
                }
                fields.add(field.toString());
                return fields;
            }
            if (quoted) {
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                    }
                    else {
                        quoted = false;
                        c = next;
                        continue;
                    }
                }
                else {
                    append(field, c);
                }
            }
            else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',') {
                if (fields.size() == MAX_FIELDS) {
                    throw new IllegalArgumentException("a row of manifest.csv has more than " + MAX_FIELDS + " fields");
                }
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            }
            else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int next = read();
                    if (next != '\n') {
                        pushedBack = next;
                    }
                }
                fields.add(field.toString());
                return fields;
            }
            else {
                append(field, c);
            }
            c = read();
        }
    }

    private void append(StringBuilder field, int c) {
        if (++rowLength > maxRow) {
            throw new IllegalArgumentException("a row of manifest.csv is longer than " + maxRow + " characters");
        }
        field.append((char) c);
    }

    private int read() throws IOException {
        int c;
        if (pushedBack != -2) {
            c = pushedBack;
            pushedBack = -2;
        }
        else {
            c = reader.read();
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }
}
