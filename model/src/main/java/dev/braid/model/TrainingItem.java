package dev.braid.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A record with its features computed once per run: the text's (its MiniLM embedding, or, when
 * the encoder's top layers are fine-tuned, its token states below them) and the image's pixels.
 */
record TrainingItem(Example example, float[] textFeatures, byte[] pixels) {

    /** The examples with the features of the modalities asked for; a modality left out stays null. */
    static List<TrainingItem> all(List<Example> examples, boolean text, boolean image, int textLayers) {
        List<String> texts = text ? examples.stream().filter(Example::hasText).map(Example::text).toList() : List.of();
        float[][] features = texts.isEmpty() ? new float[0][] : MiniLm.shared().features(texts, textLayers);
        List<TrainingItem> items = new ArrayList<>(examples.size());
        int t = 0;
        for (Example e : examples) {
            items.add(new TrainingItem(e, text && e.hasText() ? features[t++] : null,
                    image && e.hasImage() ? ImageFeatures.rgb(e.image()) : null));
        }
        return items;
    }

    static List<TrainingItem> split(List<TrainingItem> items, Example.Split split) {
        return items.stream().filter(i -> i.example.split() == split).toList();
    }

    boolean hasText() {
        return textFeatures != null;
    }

    boolean hasImage() {
        return pixels != null;
    }

    int label() {
        return example.label();
    }
}
