package dev.braid.inference.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cuts a Prometheus text exposition down to the series of some models, dropping families left empty. */
final class PrometheusText {

    private static final Pattern MODEL_LABEL = Pattern.compile("[{,]model=\"([^\"]*)\"");

    private PrometheusText() {
    }

    static String onlyModels(String exposition, Set<String> modelIds) {
        StringBuilder out = new StringBuilder();
        List<String> comments = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                if (!samples.isEmpty() || line.startsWith("# HELP")) {
                    flush(out, comments, samples);
                }
                comments.add(line);
            }
            else if (!line.isBlank()) {
                Matcher model = MODEL_LABEL.matcher(line);
                if (model.find() && modelIds.contains(model.group(1))) {
                    samples.add(line);
                }
            }
        }
        flush(out, comments, samples);
        return out.toString();
    }

    private static void flush(StringBuilder out, List<String> comments, List<String> samples) {
        if (!samples.isEmpty()) {
            comments.forEach(c -> out.append(c).append('\n'));
            samples.forEach(s -> out.append(s).append('\n'));
        }
        comments.clear();
        samples.clear();
    }
}
