package dev.braid.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A loaded model ready to predict. A call runs its inputs as one batch through each branch (the
 * text encoder, its fine-tuned top layers if the model has them, then the text head; the image
 * network) and fuses the results with the model's α. Thread-safe: parameters are shared
 * read-only, each call works in its own array scope. A prediction depends on its input and the
 * model only, not on what else is in the batch, beyond float rounding (see {@link MiniLm}).
 */
public final class FusedClassifier implements AutoCloseable {

    /** One input; at least one of the two is present. */
    public record Input(String text, BufferedImage image) {
    }

    private final List<String> labels;
    private final double alpha;
    private final double textTemperature;
    private final double imageTemperature;
    private final NDManager manager;
    private final NDList textParams;
    private final NDList imageParams;
    private final String textEncoder;

    private FusedClassifier(ModelArtifact artifact, NDManager manager, NDList textParams, NDList imageParams) {
        this.textEncoder = artifact.textEncoder();
        this.labels = artifact.labels();
        this.alpha = artifact.alpha();
        this.textTemperature = artifact.textTemperature();
        this.imageTemperature = artifact.imageTemperature();
        this.manager = manager;
        this.textParams = textParams;
        this.imageParams = imageParams;
    }

    public static FusedClassifier load(ModelArtifact artifact) throws IOException {
        NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE);
        try {
            NDList text = artifact.hasText() ? parameters(manager, Network.Kind.TEXT, artifact, artifact.textParameters()) : null;
            NDList image = artifact.hasImage() ? parameters(manager, Network.Kind.IMAGE, artifact, artifact.imageParameters()) : null;
            if (text != null && TextEncoder.NAME.equals(artifact.textEncoder())) {
                if (Network.textLayers(text) > 0) {
                    throw new IOException("a model of the encoder " + TextEncoder.NAME + " cannot have fine-tuned layers");
                }
                TextEncoder.shared();
            }
            else if (text != null) {
                MiniLm.shared();
            }
            return new FusedClassifier(artifact, manager, text, image);
        }
        catch (IOException | RuntimeException ex) {
            manager.close();
            throw ex;
        }
    }

    private static NDList parameters(NDManager manager, Network.Kind kind, ModelArtifact artifact, byte[] bytes) throws IOException {
        NDList params;
        try {
            params = NDList.decode(manager, bytes);
        }
        catch (RuntimeException ex) {
            throw new IOException("the model's " + kind + " parameters cannot be read", ex);
        }
        int layers = kind == Network.Kind.TEXT ? Network.textLayers(params) : 0;
        if (layers > MiniLm.LAYERS) {
            throw new IOException("the model's text parameters fine-tune " + layers + " encoder layers, the encoder has " + MiniLm.LAYERS);
        }
        List<Shape> expected = Network.shapes(kind, artifact.labels().size(), layers);
        if (params.size() != expected.size()) {
            throw new IOException("the model's " + kind + " parameters do not fit its network");
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!params.get(i).getShape().equals(expected.get(i))) {
                throw new IOException("the model's " + kind + " parameters do not fit its network: " + params.get(i).getShape()
                        + " where " + expected.get(i) + " belongs");
            }
        }
        return params;
    }

    public List<String> labels() {
        return labels;
    }

    public double alpha() {
        return alpha;
    }

    public boolean hasText() {
        return textParams != null;
    }

    public boolean hasImage() {
        return imageParams != null;
    }

    public List<Prediction> predict(List<Input> inputs) {
        float[][] text = new float[inputs.size()][];
        float[][] image = new float[inputs.size()][];
        try (NDManager scope = manager.newSubManager()) {
            List<Integer> textAt = present(inputs, true);
            if (textParams != null && !textAt.isEmpty()) {
                List<String> texts = textAt.stream().map(i -> inputs.get(i).text()).toList();
                int layers = Network.textLayers(textParams);
                float[][] features = TextEncoder.NAME.equals(textEncoder) ? TextEncoder.shared().encode(texts)
                        : MiniLm.shared().features(texts, layers);
                NDList x = Network.textBatch(scope, java.util.Arrays.asList(features), layers);
                scatter(text, textAt, Logits.rows(Network.forward(Network.Kind.TEXT, x, textParams, false)), textTemperature);
            }
            List<Integer> imageAt = present(inputs, false);
            if (imageParams != null && !imageAt.isEmpty()) {
                NDList x = Network.imageBatch(scope, imageAt.stream().map(i -> ImageFeatures.rgb(inputs.get(i).image())).toList(), null);
                scatter(image, imageAt, Logits.rows(Network.forward(Network.Kind.IMAGE, x, imageParams, false)), imageTemperature);
            }
        }
        List<Prediction> predictions = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] fused = Fusion.fuse(text[i], image[i], alpha);
            if (fused == null) {
                throw new IllegalArgumentException("input " + i + " has neither text nor an image this model can use");
            }
            predictions.add(new Prediction(labels.get(Metrics.argmax(fused)), named(fused), part(text[i]), part(image[i]), alpha));
        }
        return predictions;
    }

    private static List<Integer> present(List<Input> inputs, boolean text) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            if (text ? input.text() != null && !input.text().isBlank() : input.image() != null) {
                at.add(i);
            }
        }
        return at;
    }

    private static void scatter(float[][] out, List<Integer> at, float[][] logits, double temperature) {
        for (int j = 0; j < logits.length; j++) {
            out[at.get(j)] = Calibration.softmax(logits[j], temperature);
        }
    }

    private Prediction.Part part(float[] probabilities) {
        return probabilities == null ? null : new Prediction.Part(labels.get(Metrics.argmax(probabilities)), named(probabilities));
    }

    private Map<String, Double> named(float[] probabilities) {
        Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            named.put(labels.get(i), (double) probabilities[i]);
        }
        return named;
    }

    @Override
    public void close() {
        manager.close();
    }
}
