package dev.braid.launcher.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.braid.client.ApiClient;

/**
 * How a command prints: aligned tables for people, or the API's own JSON with {@code --json}. Whatever came from the
 * API (names, labels, reasons, problem details) is printed {@linkplain #safe escaped}: a dataset named with terminal
 * escape sequences, line breaks or bidirectional overrides shows as what it is, not as output it could forge.
 */
final class Output {

    private static final JsonMapper JSON = ApiClient.createDefaultMapper(null);
    /** JSON escapes C0 controls itself; these escape the rest a terminal acts on (C1 controls, bidirectional overrides). */
    private static final CharacterEscapes TERMINAL_SAFE_JSON = new CharacterEscapes() {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            int[] codes = ascii.clone();
            codes[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    };

    final PrintWriter out;
    final PrintWriter err;
    final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Prints the response as JSON when asked to; true when it did, so the caller prints nothing else. */
    boolean asJson(Object response) {
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().with(TERMINAL_SAFE_JSON).writeValueAsString(response));
        }
        return json;
    }

    void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], safe(row.get(c)).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == 0 ? "" : "  ").append(String.format("%-" + widths[c] + "s", safe(row.get(c))));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String number(Double value, int decimals) {
        return value == null ? "-" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    static String text(Object value) {
        return value == null ? "-" : safe(value.toString());
    }

    /**
     * The text with every character a terminal would act on rather than show written as an escape: C0 controls (line
     * breaks and tabs included, as \n, \r, \t), DEL, C1 controls, and the bidirectional marks and overrides that can
     * make text read other than it is; a backslash is doubled, so an escape in the text cannot pass for one of these.
     */
    static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                    : unsafe(c) ? String.format("\\u%04x", (int) c) : null;
            if (escaped != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escaped != null) {
                    out.append(escaped);
                }
                else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean unsafe(int c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x061C || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E
                || c >= 0x2066 && c <= 0x2069;
    }

    /** The problem in an error body, or an empty object when the body is not one. */
    static JsonNode problem(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
        }
        catch (RuntimeException ex) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
