package dev.braid.model;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Trains both branches jointly on the train split (each on the records that have its modality;
 * a record's loss is the sum of its branches' losses), fits α on the validation split and
 * measures text, image and fused on the test split.
 *
 * <p>Non-private runs shuffle and cut batches. Private runs (DP-SGD) Poisson-sample every step,
 * take each record's gradient over both branches at once (per-example parameters, see
 * {@link Network}), clip it to the norm bound, add Gaussian noise to the sum and divide by the
 * expected batch size; a record therefore pays for one mechanism, not one per branch.
 *
 * <p>After every epoch the listener gets a {@link Checkpoint}; a run given one carries on from it
 * and, because every random draw is derived from (seed, step), draws what the interrupted run
 * would have drawn.
 */
public final class MultimodalTrainer {

    private static final int SCORE_CHUNK = 256;
    private static final int ALPHA_STEPS = 10; // α = 0, 0.1, …, 1 for the private choice

    /** Where a private run's secret comes from: the platform's strong generator, or a seeded one in tests that must not depend on luck. */
    private final Random secrets;

    public MultimodalTrainer() {
        this(new SecureRandom());
    }

    MultimodalTrainer(Random secrets) {
        this.secrets = secrets;
    }

    public TrainingResult train(List<Example> examples, List<String> labels, TrainingOptions options, TrainingListener listener) {
        return train(examples, labels, options, listener, null);
    }

    public TrainingResult train(List<Example> examples, List<String> labels, TrainingOptions options, TrainingListener listener,
            Checkpoint resume) {
        List<Item> items = Item.all(examples);
        List<Item> train = Item.split(items, Example.Split.TRAIN);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no records in its train split");
        }
        boolean text = train.stream().anyMatch(Item::hasText);
        boolean image = train.stream().anyMatch(Item::hasImage);
        int classes = labels.size();
        TrainingOptions.Privacy privacy = options.privacy();
        int stepsPerEpoch = privacy != null ? privacy.stepsPerEpoch() : (train.size() + options.batchSize() - 1) / options.batchSize();
        long steps = (long) stepsPerEpoch * options.epochs();

        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            State state = resume == null ? State.fresh(manager, options, classes, text, image, secrets)
                    : State.restore(manager, resume, labels, text, image, options.isPrivate());
            Run run = new Run(manager, state, options, classes, train);
            List<Item> validation = Item.split(items, Example.Split.VALIDATION);
            for (int epoch = state.epoch + 1; epoch <= options.epochs() && run.training(); epoch++) {
                double lossSum = 0;
                int batches = 0;
                for (List<Item> batch : run.batches(epoch, stepsPerEpoch)) {
                    if (listener.cancelRequested()) {
                        throw new TrainingCancelledException(state.step);
                    }
                    lossSum += run.step(batch);
                    batches++;
                    listener.onStep(epoch, state.step, steps);
                }
                EpochSummary summary = run.endEpoch(epoch, validation, batches == 0 ? 0 : lossSum / batches);
                state.epoch = epoch;
                listener.onEpoch(summary, options.epochs(), state.step, steps);
                listener.onCheckpoint(state.checkpoint(labels));
            }
            return run.finish(items, labels);
        }
    }

    /** A record with its features computed once per run: the text's embedding and the image's pixels. */
    private record Item(Example example, float[] embedding, byte[] pixels) {

        static List<Item> all(List<Example> examples) {
            List<String> texts = examples.stream().filter(Example::hasText).map(Example::text).toList();
            float[][] embeddings = TextEncoder.shared().encode(texts);
            List<Item> items = new ArrayList<>(examples.size());
            int t = 0;
            for (Example e : examples) {
                items.add(new Item(e, e.hasText() ? embeddings[t++] : null, e.hasImage() ? ImageFeatures.rgb(e.image()) : null));
            }
            return items;
        }

        static List<Item> split(List<Item> items, Example.Split split) {
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

    /** Everything a checkpoint holds, live. */
    private static final class State {

        NDList textParams;
        NDList imageParams;
        Adam textAdam;
        Adam imageAdam;
        int epoch;
        long step;
        long privateSteps;
        byte[] secret;
        // early stopping: each branch's best epoch so far, its weights then, and every epoch's summary
        BranchBest textBest;
        BranchBest imageBest;
        NDList textBestParams;
        NDList imageBestParams;
        List<EpochSummary> curve = new ArrayList<>();

        static State fresh(NDManager manager, TrainingOptions options, int classes, boolean text, boolean image, Random secrets) {
            State s = new State();
            RandomGenerator init = StepRandom.of(options.seed(), null, 0, StepRandom.Purpose.INITIALISE);
            if (text) {
                s.textParams = Network.initialise(Network.Kind.TEXT, classes, manager, init);
                s.textAdam = Adam.fresh(s.textParams);
            }
            if (image) {
                s.imageParams = Network.initialise(Network.Kind.IMAGE, classes, manager, init);
                s.imageAdam = Adam.fresh(s.imageParams);
            }
            if (options.isPrivate()) {
                s.secret = new byte[32];
                secrets.nextBytes(s.secret);
            }
            return s;
        }

        static State restore(NDManager manager, Checkpoint checkpoint, List<String> labels, boolean text, boolean image,
                boolean isPrivate) {
            Checkpoint.Header h = checkpoint.header();
            if (!h.labels().equals(labels) || h.text() != text || h.image() != image || (h.secret() != null) != isPrivate) {
                throw new IllegalArgumentException("the checkpoint was taken for other labels, modalities or privacy than this run has");
            }
            NDList arrays = NDList.decode(manager, checkpoint.arrays());
            State s = new State();
            int at = 0;
            if (text) {
                int n = Network.shapes(Network.Kind.TEXT, labels.size()).size();
                s.textParams = slice(arrays, at, n);
                s.textAdam = new Adam(slice(arrays, at + n, n), slice(arrays, at + 2 * n, n));
                at += 3 * n;
            }
            if (image) {
                int n = Network.shapes(Network.Kind.IMAGE, labels.size()).size();
                s.imageParams = slice(arrays, at, n);
                s.imageAdam = new Adam(slice(arrays, at + n, n), slice(arrays, at + 2 * n, n));
                at += 3 * n;
            }
            s.textBest = h.textBest();
            s.imageBest = h.imageBest();
            if (s.textBest != null) {
                s.textBestParams = slice(arrays, at, s.textParams.size());
                at += s.textParams.size();
            }
            if (s.imageBest != null) {
                s.imageBestParams = slice(arrays, at, s.imageParams.size());
                at += s.imageParams.size();
            }
            if (h.curve() != null) {
                s.curve.addAll(h.curve());
            }
            if (at != arrays.size()) {
                throw new IllegalArgumentException("the checkpoint holds " + arrays.size() + " arrays, this network needs " + at);
            }
            s.epoch = h.epoch();
            s.step = h.step();
            s.privateSteps = h.privateSteps();
            s.secret = h.secret();
            return s;
        }

        private static NDList slice(NDList arrays, int from, int count) {
            return new NDList(arrays.subList(from, from + count));
        }

        Checkpoint checkpoint(List<String> labels) {
            NDList all = new NDList();
            if (textParams != null) {
                all.addAll(textParams);
                all.addAll(textAdam.first());
                all.addAll(textAdam.second());
            }
            if (imageParams != null) {
                all.addAll(imageParams);
                all.addAll(imageAdam.first());
                all.addAll(imageAdam.second());
            }
            if (textBest != null) {
                all.addAll(textBestParams);
            }
            if (imageBest != null) {
                all.addAll(imageBestParams);
            }
            return new Checkpoint(new Checkpoint.Header(Network.VERSION, epoch, step, privateSteps, List.copyOf(labels),
                    textParams != null, imageParams != null, secret, List.copyOf(curve), textBest, imageBest), all.encode());
        }
    }

    /** One run's training loop over a {@link State}. */
    private static final class Run {

        private final NDManager manager;
        private final State state;
        private final TrainingOptions options;
        private final int classes;
        private final List<Item> train;

        Run(NDManager manager, State state, TrainingOptions options, int classes, List<Item> train) {
            this.manager = manager;
            this.state = state;
            this.options = options;
            this.classes = classes;
            this.train = train;
        }

        /** Whether any branch still trains: none once early stopping has stopped them all. */
        boolean training() {
            return trainsText() || trainsImage();
        }

        private boolean trainsText() {
            return trains(state.textParams, state.textBest);
        }

        private boolean trainsImage() {
            return trains(state.imageParams, state.imageBest);
        }

        private boolean trains(NDList params, BranchBest best) {
            return params != null && (!options.stopsEarly() || best == null || !best.exhausted(state.epoch, options.patience()));
        }

        /**
         * The summary of {@code epoch}, just trained (the state still at the one before), on the
         * validation split; under early stopping, a branch that trained in it and did better than
         * ever has its weights kept as its best.
         */
        EpochSummary endEpoch(int epoch, List<Item> validation, double trainLoss) {
            boolean text = trainsText();
            boolean image = trainsImage();
            Scores logits = score(validation);
            Double textLoss = text ? logits.meanLoss(logits.text()) : null;
            Double imageLoss = image ? logits.meanLoss(logits.image()) : null;
            if (options.stopsEarly()) {
                BranchBest textBest = BranchBest.better(state.textBest, epoch, textLoss);
                if (textBest != state.textBest) {
                    state.textBest = textBest;
                    state.textBestParams = replace(state.textBestParams, state.textParams);
                }
                BranchBest imageBest = BranchBest.better(state.imageBest, epoch, imageLoss);
                if (imageBest != state.imageBest) {
                    state.imageBest = imageBest;
                    state.imageBestParams = replace(state.imageBestParams, state.imageParams);
                }
            }
            Scores probabilities = logits.calibrated(1, 1);
            double accuracy = Metrics.of(probabilities.labels(), probabilities.fusedPredictions(0.5), classes).accuracy();
            EpochSummary summary = new EpochSummary(epoch, trainLoss, textLoss, imageLoss, accuracy);
            state.curve.add(summary);
            return summary;
        }

        /** A copy of {@code params} to keep, the copy it replaces freed. */
        private NDList replace(NDList previous, NDList params) {
            if (previous != null) {
                previous.close();
            }
            NDList copy = new NDList();
            for (NDArray p : params) {
                NDArray c = p.duplicate();
                c.attach(manager);
                copy.add(c);
            }
            return copy;
        }

        private RandomGenerator random(long step, StepRandom.Purpose purpose) {
            return StepRandom.of(options.seed(), state.secret, step, purpose);
        }

        /** The epoch's batches: a shuffle cut into pieces, or, under DP, one Poisson sample per step. */
        List<List<Item>> batches(int epoch, int stepsPerEpoch) {
            List<List<Item>> batches = new ArrayList<>(stepsPerEpoch);
            if (options.privacy() == null) {
                List<Item> shuffled = new ArrayList<>(train);
                Collections.shuffle(shuffled, new java.util.Random(random(epoch, StepRandom.Purpose.SAMPLE).nextLong()));
                for (int i = 0; i < shuffled.size(); i += options.batchSize()) {
                    batches.add(shuffled.subList(i, Math.min(shuffled.size(), i + options.batchSize())));
                }
                return batches;
            }
            double q = options.privacy().sampleRate();
            for (int s = 0; s < stepsPerEpoch; s++) {
                RandomGenerator sampler = random(state.step + s, StepRandom.Purpose.SAMPLE);
                List<Item> batch = new ArrayList<>();
                for (Item item : train) {
                    if (sampler.nextDouble() < q) {
                        batch.add(item);
                    }
                }
                batches.add(batch);
            }
            return batches;
        }

        /** One optimiser step on the batch; the batch's mean loss. */
        double step(List<Item> batch) {
            long t = state.step + 1;
            List<Item> texts = trainsText() ? batch.stream().filter(Item::hasText).toList() : List.of();
            List<Item> images = trainsImage() ? batch.stream().filter(Item::hasImage).toList() : List.of();
            double loss;
            try (NDManager scope = manager.newSubManager()) {
                RandomGenerator augment = random(t, StepRandom.Purpose.AUGMENT);
                NDArray textX = texts.isEmpty() ? null : textBatch(scope, texts);
                NDArray imageX = images.isEmpty() ? null : imageBatch(scope, images, augment);
                loss = options.privacy() == null
                        ? plainStep(scope, batch.size(), texts, textX, images, imageX, t)
                        : privateStep(scope, batch, texts, textX, images, imageX, t);
            }
            state.step = t;
            if (options.privacy() != null) {
                state.privateSteps++;
            }
            return loss;
        }

        private double plainStep(NDManager scope, int batchSize, List<Item> texts, NDArray textX, List<Item> images,
                NDArray imageX, long t) {
            if (batchSize == 0) {
                return 0;
            }
            NDList textLeaves = trainsText() ? leaves(scope, state.textParams, 0) : null;
            NDList imageLeaves = trainsImage() ? leaves(scope, state.imageParams, 0) : null;
            double loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray mean = summedLoss(scope, texts, textX, textLeaves, images, imageX, imageLeaves, false).div(batchSize);
                collector.backward(mean);
                loss = mean.getFloat();
            }
            update(scope, state.textParams, state.textAdam, textLeaves, textX != null, options.textLearningRate(), t);
            update(scope, state.imageParams, state.imageAdam, imageLeaves, imageX != null, options.imageLearningRate(), t);
            return loss;
        }

        /** The batch's loss summed over its examples: each one's text loss plus its image loss, for those it has. */
        private NDArray summedLoss(NDManager scope, List<Item> texts, NDArray textX, NDList textLeaves, List<Item> images,
                NDArray imageX, NDList imageLeaves, boolean perExample) {
            NDArray total = null;
            if (textX != null) {
                total = Network.losses(Network.forward(Network.Kind.TEXT, textX, textLeaves, perExample), labels(scope, texts),
                        classes).sum();
            }
            if (imageX != null) {
                NDArray imageLoss = Network.losses(Network.forward(Network.Kind.IMAGE, imageX, imageLeaves, perExample),
                        labels(scope, images), classes).sum();
                total = total == null ? imageLoss : total.add(imageLoss);
            }
            return total;
        }

        /** Adam on a branch that still trains ({@code leaves} null: it does not); zero gradients when the batch had none of its records. */
        private void update(NDManager scope, NDList params, Adam adam, NDList leaves, boolean used, double learningRate, long t) {
            if (leaves == null) {
                return;
            }
            NDList gradients = new NDList();
            for (NDArray leaf : leaves) {
                gradients.add(used ? leaf.getGradient() : scope.zeros(leaf.getShape()));
            }
            adam.update(params, gradients, learningRate, t);
        }

        /**
         * DP-SGD: per-example gradients over both branches, each example's clipped to C as one
         * vector, summed, plus N(0, σ²C²) noise on every coordinate, over the expected batch size.
         */
        private double privateStep(NDManager scope, List<Item> batch, List<Item> texts, NDArray textX, List<Item> images,
                NDArray imageX, long t) {
            TrainingOptions.Privacy p = options.privacy();
            NDList textLeaves = leaves(scope, state.textParams, texts.size());
            NDList imageLeaves = leaves(scope, state.imageParams, images.size());
            double lossSum = 0;
            if (!batch.isEmpty()) {
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray total = summedLoss(scope, texts, textX, textLeaves, images, imageX, imageLeaves, true);
                    collector.backward(total);
                    lossSum = total.getFloat();
                }
            }
            // each example's squared gradient norm: its text part plus its image part
            java.util.IdentityHashMap<Item, Double> squared = new java.util.IdentityHashMap<>();
            addSquaredNorms(squared, texts, textX == null ? null : gradients(textLeaves));
            addSquaredNorms(squared, images, imageX == null ? null : gradients(imageLeaves));
            RandomGenerator noise = random(t, StepRandom.Purpose.NOISE);
            double expectedBatch = p.sampleRate() * train.size();
            NDList textUpdate = noisyClippedSum(scope, state.textParams, texts, textX == null ? null : gradients(textLeaves), squared,
                    noise, expectedBatch);
            NDList imageUpdate = noisyClippedSum(scope, state.imageParams, images, imageX == null ? null : gradients(imageLeaves),
                    squared, noise, expectedBatch);
            if (state.textParams != null) {
                state.textAdam.update(state.textParams, textUpdate, options.textLearningRate(), t);
            }
            if (state.imageParams != null) {
                state.imageAdam.update(state.imageParams, imageUpdate, options.imageLearningRate(), t);
            }
            return batch.isEmpty() ? 0 : lossSum / batch.size();
        }

        private static NDList gradients(NDList leaves) {
            NDList gradients = new NDList();
            for (NDArray leaf : leaves) {
                gradients.add(leaf.getGradient());
            }
            return gradients;
        }

        private static void addSquaredNorms(java.util.IdentityHashMap<Item, Double> squared, List<Item> examples, NDList perExample) {
            if (perExample == null) {
                return;
            }
            double[] sums = new double[examples.size()];
            for (NDArray g : perExample) {
                float[] norms = g.reshape(examples.size(), -1).square().sum(new int[] {1}).toFloatArray();
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += norms[i];
                }
            }
            for (int i = 0; i < sums.length; i++) {
                squared.merge(examples.get(i), sums[i], Double::sum);
            }
        }

        private NDList noisyClippedSum(NDManager scope, NDList params, List<Item> examples, NDList perExample,
                java.util.IdentityHashMap<Item, Double> squared, RandomGenerator noise, double expectedBatch) {
            if (params == null) {
                return null;
            }
            TrainingOptions.Privacy p = options.privacy();
            double clip = p.maxGradNorm();
            NDArray factors = null;
            if (perExample != null) {
                float[] scale = new float[examples.size()];
                for (int i = 0; i < scale.length; i++) {
                    double norm = Math.sqrt(squared.get(examples.get(i)));
                    scale[i] = (float) Math.min(1, clip / (norm + 1e-6));
                }
                factors = scope.create(scale);
            }
            NDList update = new NDList();
            double std = p.noiseMultiplier() * clip;
            for (int k = 0; k < params.size(); k++) {
                Shape shape = params.get(k).getShape();
                float[] values = new float[(int) shape.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (noise.nextGaussian() * std);
                }
                NDArray sum = scope.create(values, shape);
                if (perExample != null) {
                    NDArray g = perExample.get(k);
                    long[] broadcast = new long[g.getShape().dimension()];
                    Arrays.fill(broadcast, 1);
                    broadcast[0] = examples.size();
                    sum.addi(g.mul(factors.reshape(broadcast)).sum(new int[] {0}));
                }
                update.add(sum.divi(expectedBatch));
            }
            return update;
        }

        /** Fresh leaves that collect gradients: copies of the parameters, or {@code copies} per-example copies of each. */
        private static NDList leaves(NDManager scope, NDList params, int copies) {
            NDList leaves = new NDList();
            if (params == null) {
                return leaves;
            }
            for (NDArray p : params) {
                NDArray leaf;
                if (copies == 0) {
                    leaf = p.duplicate();
                    leaf.attach(scope);
                }
                else {
                    NDArray one = p.expandDims(0);
                    one.attach(scope);
                    leaf = one.repeat(0, copies);
                }
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            return leaves;
        }

        private static NDArray labels(NDManager scope, List<Item> items) {
            return scope.create(items.stream().mapToInt(Item::label).toArray());
        }

        private static NDArray textBatch(NDManager scope, List<Item> items) {
            return Network.textBatch(scope, items.stream().map(Item::embedding).toList());
        }

        private static NDArray imageBatch(NDManager scope, List<Item> items, RandomGenerator augment) {
            return Network.imageBatch(scope, items.stream().map(Item::pixels).toList(), augment);
        }

        /** Each branch's logits on these records (null where a record lacks the modality or the branch does not exist). */
        Scores score(List<Item> items) {
            float[][] text = new float[items.size()][];
            float[][] image = new float[items.size()][];
            int[] labels = items.stream().mapToInt(Item::label).toArray();
            for (int start = 0; start < items.size(); start += SCORE_CHUNK) {
                List<Item> chunk = items.subList(start, Math.min(items.size(), start + SCORE_CHUNK));
                try (NDManager scope = manager.newSubManager()) {
                    fill(text, start, chunk, Item::hasText, state.textParams, Network.Kind.TEXT, c -> textBatch(scope, c));
                    fill(image, start, chunk, Item::hasImage, state.imageParams, Network.Kind.IMAGE, c -> imageBatch(scope, c, null));
                }
            }
            return new Scores(text, image, labels);
        }

        private void fill(float[][] out, int offset, List<Item> chunk, java.util.function.Predicate<Item> has, NDList params,
                Network.Kind kind, java.util.function.Function<List<Item>, NDArray> features) {
            if (params == null) {
                return;
            }
            List<Integer> positions = new ArrayList<>();
            List<Item> present = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                if (has.test(chunk.get(i))) {
                    positions.add(offset + i);
                    present.add(chunk.get(i));
                }
            }
            if (present.isEmpty()) {
                return;
            }
            float[][] logits = Logits.rows(Network.forward(kind, features.apply(present), params, false));
            for (int j = 0; j < logits.length; j++) {
                out[positions.get(j)] = logits[j];
            }
        }

        /** Temperatures (not under DP), α, the artifact and the test-split metrics. */
        TrainingResult finish(List<Item> items, List<String> labels) {
            if (state.textBest != null) {
                state.textParams = state.textBestParams;
            }
            if (state.imageBest != null) {
                state.imageParams = state.imageBestParams;
            }
            Scores validationLogits = score(Item.split(items, Example.Split.VALIDATION));
            TrainingOptions.Privacy privacy = options.privacy();
            double textTemperature = privacy == null ? validationLogits.temperature(validationLogits.text()) : 1;
            double imageTemperature = privacy == null ? validationLogits.temperature(validationLogits.image()) : 1;
            Scores validation = validationLogits.calibrated(textTemperature, imageTemperature);
            boolean both = state.textParams != null && state.imageParams != null;
            double alpha;
            TrainingResult.PrivacySpent spent = null;
            if (privacy == null) {
                alpha = both ? Fusion.fit(validation.textBoth(), validation.imageBoth(), validation.labelsBoth()) : 0.5;
            }
            else if (privacy.alpha() != null || !both) {
                alpha = privacy.alpha() != null ? privacy.alpha() : 0.5;
                spent = new TrainingResult.PrivacySpent(state.privateSteps, privacy.sampleRate(), privacy.noiseMultiplier(), null,
                        privacy.alpha() != null ? "given in the request" : "fixed at 0.5: the model has one branch");
            }
            else {
                alpha = noisyAlpha(validation, privacy.selectionNoiseMultiplier());
                spent = new TrainingResult.PrivacySpent(state.privateSteps, privacy.sampleRate(), privacy.noiseMultiplier(),
                        privacy.selectionNoiseMultiplier(),
                        "report-noisy-max over α = 0, 0.1, …, 1 on the validation split, Gaussian noise σ = "
                                + privacy.selectionNoiseMultiplier() + " × √11");
            }
            ModelArtifact artifact = new ModelArtifact(List.copyOf(labels), alpha, textTemperature, imageTemperature,
                    state.textParams == null ? null : state.textParams.encode(),
                    state.imageParams == null ? null : state.imageParams.encode());
            Scores test = score(Item.split(items, Example.Split.TEST)).calibrated(textTemperature, imageTemperature);
            TrainingResult.Schedule schedule = new TrainingResult.Schedule(state.epoch, options.batchSize(),
                    state.textParams == null ? null : options.textLearningRate(), state.imageParams == null ? null : options.imageLearningRate(),
                    keptEpoch(state.textParams, state.textBest), keptEpoch(state.imageParams, state.imageBest), List.copyOf(state.curve));
            return new TrainingResult(artifact, test.metrics(test.text(), classes), test.metrics(test.image(), classes),
                    Metrics.of(test.labels(), test.fusedPredictions(alpha), classes), alpha, spent, schedule);
        }

        private Integer keptEpoch(NDList params, BranchBest best) {
            return params == null ? null : best != null ? best.epoch() : state.epoch;
        }

        /**
         * α by report-noisy-max: the count of validation records each α gets right, plus Gaussian
         * noise. One record moves each of the 11 counts by at most 1, so the count vector's L2
         * sensitivity is √11 and the noise is σ·√11: a Gaussian mechanism with noise multiplier σ.
         */
        private double noisyAlpha(Scores validation, double sigma) {
            float[][] text = validation.textBoth();
            float[][] image = validation.imageBoth();
            int[] truth = validation.labelsBoth();
            RandomGenerator noise = random(0, StepRandom.Purpose.SELECT);
            double best = 0.5;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k <= ALPHA_STEPS; k++) {
                double alpha = (double) k / ALPHA_STEPS;
                int correct = 0;
                for (int i = 0; i < truth.length; i++) {
                    correct += Metrics.argmax(Fusion.fuse(text[i], image[i], alpha)) == truth[i] ? 1 : 0;
                }
                double score = correct + noise.nextGaussian() * sigma * Math.sqrt(ALPHA_STEPS + 1);
                if (score > bestScore) {
                    bestScore = score;
                    best = alpha;
                }
            }
            return best;
        }
    }
}
