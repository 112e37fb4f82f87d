package dev.braid.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Trains both branches on the train split (each on the records that have its modality), fits α
 * on the validation split and measures text, image and fused on the test split.
 */
public final class MultimodalTrainer {

    public TrainingResult train(List<Example> examples, List<String> labels, TrainingOptions options,
            TrainingListener listener) {
        Engine engine = Engine.getEngine(Devices.ENGINE);
        engine.setRandomSeed((int) options.seed());
        Device device = Devices.preferred();
        List<Example> train = split(examples, Example.Split.TRAIN);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no records in its train split");
        }
        List<Example> textTrain = train.stream().filter(Example::hasText).toList();
        List<Example> imageTrain = train.stream().filter(Example::hasImage).toList();
        int stepsPerEpoch = batches(textTrain.size(), options.batchSize()) + batches(imageTrain.size(), options.batchSize());
        int steps = stepsPerEpoch * options.epochs();
        Random random = new Random(options.seed());

        try (Model textModel = textTrain.isEmpty() ? null : Model.newInstance("text", device, Devices.ENGINE);
                Model imageModel = imageTrain.isEmpty() ? null : Model.newInstance("image", device, Devices.ENGINE)) {
            Branch text = textModel == null ? null
                    : new Branch(textModel, Networks.textHead(labels.size()), Networks.textInput(), options, device);
            Branch image = imageModel == null ? null
                    : new Branch(imageModel, Networks.imageNet(labels.size()), Networks.imageInput(), options, device);
            try {
                int step = 0;
                List<Example> validation = split(examples, Example.Split.VALIDATION);
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    double lossSum = 0;
                    int lossCount = 0;
                    if (text != null) {
                        for (List<Example> batch : shuffledBatches(textTrain, options.batchSize(), random)) {
                            checkCancel(listener, step);
                            lossSum += text.step(m -> TextTranslator.batch(m, batch.stream().map(Example::text).toList()), batch);
                            lossCount++;
                            listener.onStep(epoch, ++step, steps);
                        }
                    }
                    if (image != null) {
                        for (List<Example> batch : shuffledBatches(imageTrain, options.batchSize(), random)) {
                            checkCancel(listener, step);
                            lossSum += image.step(m -> ImageTranslator.batch(m, batch.stream().map(Example::image).toList()), batch);
                            lossCount++;
                            listener.onStep(epoch, ++step, steps);
                        }
                    }
                    Scores val = score(text, image, validation).calibrated(1, 1);
                    double valAccuracy = Metrics.of(val.labels, val.fusedPredictions(0.5), labels.size()).accuracy();
                    listener.onEpoch(epoch, options.epochs(), step, steps, lossCount == 0 ? 0 : lossSum / lossCount, valAccuracy);
                }
                Scores valLogits = score(text, image, validation);
                double textTemperature = valLogits.temperature(valLogits.text);
                double imageTemperature = valLogits.temperature(valLogits.image);
                Scores val = valLogits.calibrated(textTemperature, imageTemperature);
                double alpha = text != null && image != null ? Fusion.fit(val.textBoth(), val.imageBoth(), val.labelsBoth()) : 0.5;
                Scores test = score(text, image, split(examples, Example.Split.TEST)).calibrated(textTemperature, imageTemperature);
                ModelArtifact artifact = new ModelArtifact(List.copyOf(labels), alpha, textTemperature, imageTemperature,
                        text == null ? null : text.parameters(), image == null ? null : image.parameters());
                return new TrainingResult(artifact, test.metrics(test.text, labels.size()),
                        test.metrics(test.image, labels.size()),
                        Metrics.of(test.labels, test.fusedPredictions(alpha), labels.size()), alpha);
            }
            finally {
                if (text != null) {
                    text.close();
                }
                if (image != null) {
                    image.close();
                }
            }
        }
    }

    private static void checkCancel(TrainingListener listener, int step) {
        if (listener.cancelRequested()) {
            throw new TrainingCancelledException(step);
        }
    }

    private static List<Example> split(List<Example> examples, Example.Split split) {
        return examples.stream().filter(e -> e.split() == split).toList();
    }

    private static int batches(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    private static List<List<Example>> shuffledBatches(List<Example> examples, int batchSize, Random random) {
        List<Example> shuffled = new ArrayList<>(examples);
        java.util.Collections.shuffle(shuffled, random);
        List<List<Example>> batches = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i += batchSize) {
            batches.add(shuffled.subList(i, Math.min(shuffled.size(), i + batchSize)));
        }
        return batches;
    }

    /** Logits of each branch on a split; null where the record lacks the modality or the branch does not exist. */
    private static Scores score(Branch text, Branch image, List<Example> examples) {
        float[][] t = new float[examples.size()][];
        float[][] i = new float[examples.size()][];
        int[] labels = new int[examples.size()];
        for (int k = 0; k < examples.size(); k++) {
            labels[k] = examples.get(k).label();
        }
        if (text != null) {
            fill(t, examples, Example::hasText, idx -> TextTranslator.batch(text.manager, idx.stream().map(Example::text).toList()), text);
        }
        if (image != null) {
            fill(i, examples, Example::hasImage, idx -> ImageTranslator.batch(image.manager, idx.stream().map(Example::image).toList()), image);
        }
        return new Scores(t, i, labels);
    }

    private static void fill(float[][] out, List<Example> examples, Predicate<Example> has,
            java.util.function.Function<List<Example>, NDArray> featurize, Branch branch) {
        List<Integer> positions = new ArrayList<>();
        List<Example> selected = new ArrayList<>();
        for (int k = 0; k < examples.size(); k++) {
            if (has.test(examples.get(k))) {
                positions.add(k);
                selected.add(examples.get(k));
            }
        }
        for (int start = 0; start < selected.size(); start += 256) {
            List<Example> chunk = selected.subList(start, Math.min(selected.size(), start + 256));
            float[][] logits = branch.logits(featurize.apply(chunk));
            for (int j = 0; j < chunk.size(); j++) {
                out[positions.get(start + j)] = logits[j];
            }
        }
    }

    /** Per-record scores of each branch: logits as computed, probabilities once {@link #calibrated}. */
    private record Scores(float[][] text, float[][] image, int[] labels) {

        /** The temperature that best calibrates these logits on the records that have them. */
        double temperature(float[][] logits) {
            List<float[]> rows = new ArrayList<>();
            List<Integer> truth = new ArrayList<>();
            for (int k = 0; k < labels.length; k++) {
                if (logits[k] != null) {
                    rows.add(logits[k]);
                    truth.add(labels[k]);
                }
            }
            return Calibration.fitTemperature(rows.toArray(float[][]::new), truth.stream().mapToInt(Integer::intValue).toArray());
        }

        Scores calibrated(double textTemperature, double imageTemperature) {
            return new Scores(softmax(text, textTemperature), softmax(image, imageTemperature), labels);
        }

        private static float[][] softmax(float[][] logits, double temperature) {
            float[][] p = new float[logits.length][];
            for (int k = 0; k < logits.length; k++) {
                p[k] = logits[k] == null ? null : Calibration.softmax(logits[k], temperature);
            }
            return p;
        }

        int[] fusedPredictions(double alpha) {
            int[] predicted = new int[labels.length];
            for (int k = 0; k < labels.length; k++) {
                float[] p = Fusion.fuse(text[k], image[k], alpha);
                predicted[k] = p == null ? -1 : Metrics.argmax(p);
            }
            return predicted;
        }

        Metrics metrics(float[][] probabilities, int classes) {
            List<Integer> truth = new ArrayList<>();
            List<Integer> predicted = new ArrayList<>();
            for (int k = 0; k < labels.length; k++) {
                if (probabilities[k] != null) {
                    truth.add(labels[k]);
                    predicted.add(Metrics.argmax(probabilities[k]));
                }
            }
            return Metrics.of(truth.stream().mapToInt(Integer::intValue).toArray(),
                    predicted.stream().mapToInt(Integer::intValue).toArray(), classes);
        }

        private List<Integer> both() {
            List<Integer> both = new ArrayList<>();
            for (int k = 0; k < labels.length; k++) {
                if (text[k] != null && image[k] != null) {
                    both.add(k);
                }
            }
            return both;
        }

        float[][] textBoth() {
            return both().stream().map(k -> text[k]).toArray(float[][]::new);
        }

        float[][] imageBoth() {
            return both().stream().map(k -> image[k]).toArray(float[][]::new);
        }

        int[] labelsBoth() {
            return both().stream().mapToInt(k -> labels[k]).toArray();
        }
    }

    /** One branch's model, trainer and the manager its arrays live in. */
    private static final class Branch implements AutoCloseable {

        private final Model model;
        private final Trainer trainer;
        private final NDManager manager;

        Branch(Model model, ai.djl.nn.Block block, Shape inputShape, TrainingOptions options, Device device) {
            this.model = model;
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate())).build())
                    .optDevices(new Device[] {device});
            this.trainer = model.newTrainer(config);
            trainer.initialize(inputShape);
            this.manager = model.getNDManager().newSubManager();
        }

        double step(java.util.function.Function<NDManager, NDArray> features, List<Example> batch) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = features.apply(scope);
                NDArray y = scope.create(batch.stream().mapToInt(Example::label).toArray());
                double loss;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray value = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
                    collector.backward(value);
                    loss = value.getFloat();
                }
                trainer.step();
                return loss;
            }
        }

        float[][] logits(NDArray features) {
            try (NDManager scope = manager.newSubManager()) {
                features.attach(scope);
                NDArray logits = trainer.evaluate(new NDList(features)).singletonOrThrow();
                long rows = logits.getShape().get(0);
                int classes = (int) logits.getShape().get(1);
                float[] flat = logits.toFloatArray();
                float[][] out = new float[(int) rows][classes];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(flat, r * classes, out[r], 0, classes);
                }
                return out;
            }
        }

        byte[] parameters() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                model.getBlock().saveParameters(out);
                out.flush();
                return bytes.toByteArray();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() {
            manager.close();
            trainer.close();
        }
    }
}
