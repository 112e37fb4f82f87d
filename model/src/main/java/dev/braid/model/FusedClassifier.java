package dev.braid.model;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;

/**
 * A loaded model ready to predict. Each branch runs as one DJL predictor pass per call (inputs
 * are batched), and the results are fused with the model's α. Thread-safe: predictors are
 * created per call; the loaded parameters are shared read-only.
 */
public final class FusedClassifier implements AutoCloseable {

    /** One input; at least one of the two is present. */
    public record Input(String text, BufferedImage image) {
    }

    private final List<String> labels;
    private final double alpha;
    private final double textTemperature;
    private final double imageTemperature;
    private final Model textModel;
    private final Model imageModel;

    private FusedClassifier(ModelArtifact artifact, Model textModel, Model imageModel) {
        this.labels = artifact.labels();
        this.alpha = artifact.alpha();
        this.textTemperature = artifact.textTemperature();
        this.imageTemperature = artifact.imageTemperature();
        this.textModel = textModel;
        this.imageModel = imageModel;
    }

    public static FusedClassifier load(ModelArtifact artifact) throws IOException {
        Model text = null;
        Model image = null;
        try {
            if (artifact.hasText()) {
                text = load("text", Networks.textHead(artifact.labels().size()), Networks.textInput(), artifact.textParameters());
            }
            if (artifact.hasImage()) {
                image = load("image", Networks.imageNet(artifact.labels().size()), Networks.imageInput(),
                        artifact.imageParameters());
            }
            return new FusedClassifier(artifact, text, image);
        }
        catch (IOException | RuntimeException ex) {
            if (text != null) {
                text.close();
            }
            if (image != null) {
                image.close();
            }
            throw ex;
        }
    }

    private static Model load(String name, Block block, ai.djl.ndarray.types.Shape input, byte[] parameters) throws IOException {
        Model model = Model.newInstance(name, Devices.preferred(), Devices.ENGINE);
        try {
            block.initialize(model.getNDManager(), DataType.FLOAT32, input);
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
            model.setBlock(block);
            return model;
        }
        catch (MalformedModelException | RuntimeException ex) {
            model.close();
            throw new IOException("the model's " + name + " parameters do not fit its network", ex);
        }
    }

    public List<String> labels() {
        return labels;
    }

    public double alpha() {
        return alpha;
    }

    public boolean hasText() {
        return textModel != null;
    }

    public boolean hasImage() {
        return imageModel != null;
    }

    public List<Prediction> predict(List<Input> inputs) {
        float[][] text = run(textModel, new TextTranslator(textTemperature), inputs.stream().map(Input::text).toList());
        float[][] image = run(imageModel, new ImageTranslator(imageTemperature), inputs.stream().map(Input::image).toList());
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

    private static <T> float[][] run(Model model, Translator<T, float[]> translator, List<T> values) {
        float[][] out = new float[values.size()][];
        if (model == null) {
            return out;
        }
        List<Integer> positions = new ArrayList<>();
        List<T> present = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                positions.add(i);
                present.add(values.get(i));
            }
        }
        if (present.isEmpty()) {
            return out;
        }
        try (Predictor<T, float[]> predictor = model.newPredictor(translator)) {
            List<float[]> results = predictor.batchPredict(present);
            for (int j = 0; j < results.size(); j++) {
                out[positions.get(j)] = results.get(j);
            }
            return out;
        }
        catch (TranslateException ex) {
            throw new IllegalStateException("prediction failed", ex);
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
        if (textModel != null) {
            textModel.close();
        }
        if (imageModel != null) {
            imageModel.close();
        }
    }
}
