package dev.braid.model;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;

/**
 * Text to class probabilities: lower-cased word unigrams and bigrams, hashed (with a sign hash)
 * into {@link #DIMENSIONS} buckets and L2-normalised, through the text head, then a
 * temperature-scaled softmax.
 */
final class TextTranslator extends CalibratedTranslator<String> {

    static final int DIMENSIONS = 2048;

    TextTranslator(double temperature) {
        super(temperature);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String text) {
        return new NDList(ctx.getNDManager().create(features(text)));
    }

    static float[] features(String text) {
        float[] vector = new float[DIMENSIONS];
        String[] tokens = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        String previous = null;
        for (String token : tokens) {
            if (token.isEmpty()) {
                continue;
            }
            add(vector, token);
            if (previous != null) {
                add(vector, previous + ' ' + token);
            }
            previous = token;
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= scale;
            }
        }
        return vector;
    }

    private static void add(float[] vector, String feature) {
        int hash = murmurMix(feature.getBytes(StandardCharsets.UTF_8));
        int index = Math.floorMod(hash, DIMENSIONS);
        vector[index] += (hash >>> 31) == 0 ? 1f : -1f;
    }

    /** A stable 32-bit hash (FNV-1a with a murmur finaliser), the same on every JVM and run. */
    private static int murmurMix(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    static NDArray batch(ai.djl.ndarray.NDManager manager, java.util.List<String> texts) {
        float[][] rows = new float[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = features(texts.get(i));
        }
        return manager.create(rows);
    }
}
