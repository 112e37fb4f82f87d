package dev.braid.launcher.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.braid.client.ApiClient;

/** How a command prints: aligned tables for people, or the API's own JSON with {@code --json}. */
final class Output {

    private static final JsonMapper JSON = ApiClient.createDefaultMapper(null);

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
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
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
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == 0 ? "" : "  ").append(String.format("%-" + widths[c] + "s", row.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String number(Double value, int decimals) {
        return value == null ? "-" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    static String text(Object value) {
        return value == null ? "-" : value.toString();
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
