package dev.braid.inference.prediction;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.braid.common.image.ImageProbe;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.inference.batching.BatchQueue;
import dev.braid.inference.InferenceProperties;
import dev.braid.inference.registry.ModelRegistry;
import dev.braid.inference.registry.ModelVersion;
import dev.braid.inference.serving.LoadedModels;
import dev.braid.inference.serving.ModelServer;
import dev.braid.model.FusedClassifier;
import dev.braid.model.Prediction;

/**
 * Resolves the model (by id, or the dataset's deployed one), checks and decodes inputs, and
 * queues them on the model's batching queue, where they join other requests' inputs.
 */
@Service
class PredictionService {

    private static final long PREDICTION_TIMEOUT_SECONDS = 60;

    private final ModelRegistry registry;
    private final LoadedModels loadedModels;
    private final InferenceProperties properties;
    private final DecodedPixels decodedPixels;

    PredictionService(ModelRegistry registry, LoadedModels loadedModels, InferenceProperties properties,
            DecodedPixels decodedPixels) {
        this.registry = registry;
        this.loadedModels = loadedModels;
        this.properties = properties;
        this.decodedPixels = decodedPixels;
    }

    /** One input: text, and an image as base64 (JSON) or as bytes (a form's binary part), or neither. */
    record Input(String text, String imageBase64, byte[] imageBytes) {

        Input(String text, String imageBase64) {
            this(text, imageBase64, null);
        }

        static Input binary(String text, byte[] image) {
            return new Input(text, null, image);
        }
    }

    record Result(UUID modelId, List<Prediction> predictions) {
    }

    /**
     * The model is found first, so a request naming none costs no decoding; then every input is checked on what it
     * declares (text length, image size and pixels), and only then are its images decoded, within the pixels this
     * service lets all requests hold at once.
     */
    Result predict(UUID modelId, UUID datasetId, List<Input> inputs) {
        if ((modelId == null) == (datasetId == null)) {
            throw ApiException.unprocessable("model-or-dataset", "Give exactly one of modelId and datasetId");
        }
        ModelVersion model = modelId != null ? registry.servingModel(modelId) : registry.servingModelFor(datasetId);
        ModelServer server = loadedModels.get(model.id(), model.datasetId(), model.artifactKey());
        List<String> texts = new ArrayList<>(inputs.size());
        List<byte[]> images = new ArrayList<>(inputs.size());
        long pixels = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String where = where(i, inputs.size());
            String text = text(inputs.get(i).text(), where);
            byte[] image = imageBytes(inputs.get(i), where);
            if (text == null && image == null) {
                throw ApiException.unprocessable("no-input", where + "give text, imageBase64 or both");
            }
            if (!(text != null && server.hasText() || image != null && server.hasImage())) {
                throw ApiException.unprocessable("modality-unavailable", where
                        + "this model was trained without the modality the input carries");
            }
            pixels += image == null ? 0 : pixels(image, where);
            texts.add(text);
            images.add(image);
        }
        if (pixels > properties.maxRequestPixels()) {
            // checked on the headers before any image is decoded: one request's decoded images stay bounded
            throw new ImageTooLarge("The request's images have " + pixels + " pixels together, over the limit of "
                    + properties.maxRequestPixels() + " per request; send fewer or smaller images per batch");
        }
        DecodedPixels.Lease room = decodedPixels.take(pixels);
        List<CompletableFuture<Prediction>> pending;
        try {
            List<FusedClassifier.Input> decoded = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                byte[] image = images.get(i);
                decoded.add(new FusedClassifier.Input(texts.get(i), image == null ? null : image(image, where(i, inputs.size()))));
            }
            pending = submit(model, server, decoded);
        }
        catch (RuntimeException | Error ex) {
            room.close();
            throw ex;
        }
        // the decoded images are held until their batch has run, however long this request waits for it
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> room.close());
        return new Result(model.id(), await(pending));
    }

    /** Queues the inputs on the model's batching queue: 429 when it is full. */
    private List<CompletableFuture<Prediction>> submit(ModelVersion model, ModelServer server, List<FusedClassifier.Input> decoded) {
        try {
            try {
                return server.submit(decoded);
            }
            catch (IllegalStateException ex) {
                // unloaded between lookup and submit (its grace period ran out): load it again, once
                return loadedModels.get(model.id(), model.datasetId(), model.artifactKey()).submit(decoded);
            }
        }
        catch (BatchQueue.Full ex) {
            throw new QueueFull("Model " + model.id() + " has more predictions queued than it takes; retry shortly");
        }
    }

    private static List<Prediction> await(List<CompletableFuture<Prediction>> pending) {
        List<Prediction> predictions = new ArrayList<>(pending.size());
        try {
            for (CompletableFuture<Prediction> p : pending) {
                predictions.add(p.get(PREDICTION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ServiceUnavailable.of("inference service");
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("prediction failed", ex instanceof ExecutionException ? ex.getCause() : ex);
        }
        return predictions;
    }

    /** The input's text, or null when it has none; longer than ingestion accepts is refused before any of it is read. */
    private String text(String text, String where) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > properties.maxTextLength()) {
            throw new TextTooLong(where + "text has " + text.length() + " characters, over the limit of "
                    + properties.maxTextLength() + " (the same as a record's at ingestion)");
        }
        return text;
    }

    /** How a problem names the input it is about: nothing for a lone input, its index in a batch. */
    private static String where(int index, int inputs) {
        return inputs == 1 ? "" : "inputs[" + index + "]: ";
    }

    /** The input's image bytes, sent as bytes or as base64, within the size limit either way. */
    private byte[] imageBytes(Input input, String where) {
        long limit = properties.maxImageSize().toBytes();
        if (input.imageBytes() != null) {
            if (input.imageBytes().length > limit) {
                throw new ImageTooLarge(where + "image is larger than " + ImageProbe.describe(limit));
            }
            return input.imageBytes();
        }
        if (input.imageBase64() == null) {
            return null;
        }
        try {
            return ImageProbe.decodeBase64(input.imageBase64(), limit);
        }
        catch (ImageProbe.InvalidImage ex) {
            throw invalid(ex, where);
        }
    }

    private long pixels(byte[] image, String where) {
        try {
            return ImageProbe.check(image, properties.maxImagePixels());
        }
        catch (ImageProbe.InvalidImage ex) {
            throw invalid(ex, where);
        }
    }

    /** Decodes an image whose header {@link #pixels} has already checked. */
    private BufferedImage image(byte[] bytes, String where) {
        try {
            return ImageProbe.decodeChecked(bytes);
        }
        catch (ImageProbe.InvalidImage ex) {
            throw invalid(ex, where);
        }
    }

    private static ApiException invalid(ImageProbe.InvalidImage ex, String where) {
        return ex.tooLarge() ? new ImageTooLarge(where + ex.getMessage())
                : ApiException.badRequest("invalid-image", where + ex.getMessage());
    }

    /** 413: the text is longer than a prediction may carry. */
    static final class TextTooLong extends ApiException {

        TextTooLong(String detail) {
            super(HttpStatus.CONTENT_TOO_LARGE, "text-too-long", detail);
        }
    }

    /** 413: the image is over the size or pixel limit. */
    static final class ImageTooLarge extends ApiException {

        ImageTooLarge(String detail) {
            super(HttpStatus.CONTENT_TOO_LARGE, "image-too-large", detail);
        }
    }
}
