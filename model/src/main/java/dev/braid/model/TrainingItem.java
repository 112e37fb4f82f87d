package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

/** A record with its features computed once per run: the text's embedding and the image's pixels. */
record TrainingItem(Example example, float[] embedding, byte[] pixels) {

    /** The examples with the features of the modalities asked for; a modality left out stays null. */
    static List<TrainingItem> all(List<Example> examples, boolean text, boolean image) {
        List<String> texts = text ? examples.stream().filter(Example::hasText).map(Example::text).toList() : List.of();
        float[][] embeddings = texts.isEmpty() ? new float[0][] : TextEncoder.shared().encode(texts);
        List<TrainingItem> items = new ArrayList<>(examples.size());
        int t = 0;
        for (Example e : examples) {
            items.add(new TrainingItem(e, text && e.hasText() ? embeddings[t++] : null,
                    image && e.hasImage() ? ImageFeatures.rgb(e.image()) : null));
        }
        return items;
    }

    static List<TrainingItem> split(List<TrainingItem> items, Example.Split split) {
        return items.stream().filter(i -> i.example.split() == split).toList();
    }

    boolean hasText() {
        return embedding != null;
    }

    boolean hasImage() {
        return pixels != null;
    }

    int label() {
        return example.label();
    }
}
