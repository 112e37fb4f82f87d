package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

/** A record with its features computed once per run: the text's embedding and the image's pixels. */
record TrainingItem(Example example, float[] embedding, byte[] pixels) {

    static List<TrainingItem> all(List<Example> examples) {
        List<String> texts = examples.stream().filter(Example::hasText).map(Example::text).toList();
        float[][] embeddings = TextEncoder.shared().encode(texts);
        List<TrainingItem> items = new ArrayList<>(examples.size());
        int t = 0;
        for (Example e : examples) {
            items.add(new TrainingItem(e, e.hasText() ? embeddings[t++] : null, e.hasImage() ? ImageFeatures.rgb(e.image()) : null));
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
