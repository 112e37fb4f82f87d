package dev.braid.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run's training loop over a {@link TrainingState}: its batches, steps (plain and DP-SGD), epoch ends and finish; see {@link MultimodalTrainer}. */
final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private static final int SCORE_CHUNK = 256;

    private final NDManager manager;
    private final TrainingState state;
    private final TrainingOptions options;
    private final int classes;
    private final List<TrainingItem> train;
    /** Each class's loss weight when the run balances its classes; null when it does not. */
    private final double[] classWeights;
    private final Fault fault;

    /**
     * A stand-in, for tests, for the kernel faults {@link #ATTEMPTS} guards against: the factor that attempt's text
     * update is multiplied by (1: no fault; NaN; or a finite factor, a wrong update that is still finite).
     */
    interface Fault {
        float factor(long step, int attempt);

        Fault NONE = (step, attempt) -> 1f;
    }

    /**
     * Whether every step is computed twice and taken only once two computations agree bit for bit: a debug mode
     * ({@code -Dbraid.training.verify-steps=true}) that finds a wrong update however plausible it looks, at twice
     * the cost. Off, only a suspicious update is computed again ({@link #step}).
     */
    static final boolean VERIFY_STEPS = Boolean.getBoolean("braid.training.verify-steps");

    /** How many times larger than any update the branch took before an update must be to be computed again. */
    static final double OUTLIER = 1e3;

    private final boolean verify;
    /** Per branch, the largest squared norm of an update taken so far; an update far above it is checked. */
    private double largestText;
    private double largestImage;

    TrainingRun(NDManager manager, TrainingState state, TrainingOptions options, int classes, List<TrainingItem> train) {
        this(manager, state, options, classes, train, Fault.NONE, VERIFY_STEPS);
    }

    TrainingRun(NDManager manager, TrainingState state, TrainingOptions options, int classes, List<TrainingItem> train, Fault fault,
            boolean verify) {
        this.manager = manager;
        this.state = state;
        this.options = options;
        this.classes = classes;
        this.train = train;
        this.classWeights = options.balancedClasses() ? balancedWeights(train, classes) : null;
        this.fault = fault;
        this.verify = verify;
    }

    /** n / (k · n_c) for each class c of the train split's n records, k classes present; 0 for a class it lacks. */
    static double[] balancedWeights(List<TrainingItem> train, int classes) {
        int[] counts = new int[classes];
        train.forEach(item -> counts[item.label()]++);
        long present = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0 : (double) train.size() / (present * counts[c]);
        }
        return weights;
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
     * ever has its weights kept as its best. A private run measures nothing here: it stops no
     * branch early, and a loss or accuracy of its records would be a release its ε does not cover.
     */
    EpochSummary endEpoch(int epoch, List<TrainingItem> validation, double trainLoss) {
        if (options.isPrivate()) {
            return EpochSummary.onlyEpoch(epoch);
        }
        boolean text = trainsText();
        boolean image = trainsImage();
        Scores logits = score(validation);
        Double textLoss = text ? logits.meanLoss(logits.text(), classWeights) : null;
        Double imageLoss = image ? logits.meanLoss(logits.image(), classWeights) : null;
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

    /**
     * The epoch's batches: a shuffle cut into pieces of the batch size, or, under DP, one Poisson
     * sample for each of the plan's steps per epoch.
     */
    List<List<TrainingItem>> batches(int epoch) {
        List<List<TrainingItem>> batches = new ArrayList<>();
        if (options.privacy() == null) {
            List<TrainingItem> shuffled = new ArrayList<>(train);
            Collections.shuffle(shuffled, new java.util.Random(random(epoch, StepRandom.Purpose.SAMPLE).nextLong()));
            for (int i = 0; i < shuffled.size(); i += options.batchSize()) {
                batches.add(shuffled.subList(i, Math.min(shuffled.size(), i + options.batchSize())));
            }
            return batches;
        }
        double q = options.privacy().sampleRate();
        for (int s = 0; s < options.privacy().stepsPerEpoch(); s++) {
            RandomGenerator sampler = random(state.step + s, StepRandom.Purpose.SAMPLE);
            List<TrainingItem> batch = new ArrayList<>();
            for (TrainingItem item : train) {
                if (sampler.nextDouble() < q) {
                    batch.add(item);
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * How many times a step is computed before a branch whose gradients are still not finite is
     * left unchanged for that step. PyTorch's CPU kernels have returned a backward pass that was
     * wrong now and then, NaN or finite garbage (measured: about one fine-tuning step in 600, at
     * random, the forward pass and every other step bit-identical; the cause found and avoided is in
     * {@link Adapters}); computing the same step again, from the same inputs and the same (seed, step)
     * draws, gives the right answer, so the run goes on exactly as one that never met it. A step that
     * overflows every time is a real overflow.
     */
    static final int ATTEMPTS = 3;

    /**
     * The updates one computation of a step would apply to each branch (null: the branch takes
     * none), its mean loss, and whether every example's gradient was finite (DP-SGD leaves out
     * an example whose gradient is not, so its update can be finite without them all being).
     */
    private record Updates(NDList text, NDList image, double loss, boolean examplesFinite) {
    }

    /**
     * One optimiser step on the batch; the batch's mean loss. An update is taken at once unless it
     * looks wrong: not finite (NaN, infinite, an example's gradient not finite), or its squared norm
     * {@link #OUTLIER}² times the largest the branch took so far (garbage from a faulty kernel came
     * out 10¹⁰ to 10³⁶ off). Such a step is computed again, and taken once two computations agree bit
     * for bit (a genuine spike repeats exactly; a fault does not) or once it is finite at the last
     * attempt. With {@link #VERIFY_STEPS} every step is computed twice so.
     */
    double step(List<TrainingItem> batch) {
        long t = state.step + 1;
        List<TrainingItem> texts = trainsText() ? batch.stream().filter(TrainingItem::hasText).toList() : List.of();
        List<TrainingItem> images = trainsImage() ? batch.stream().filter(TrainingItem::hasImage).toList() : List.of();
        double loss = 0;
        float[] previous = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (NDManager scope = manager.newSubManager()) {
                RandomGenerator augment = random(t, StepRandom.Purpose.AUGMENT);
                NDList textX = texts.isEmpty() ? null : textBatch(scope, texts);
                NDList imageX = images.isEmpty() ? null : imageBatch(scope, images, augment);
                Updates updates = options.privacy() == null
                        ? plainStep(scope, batch.size(), texts, textX, images, imageX)
                        : privateStep(scope, batch, texts, textX, images, imageX, t);
                float factor = fault.factor(t, attempt);
                if (updates.text() != null && factor != 1f) {
                    updates.text().get(0).muli(factor);
                }
                double textSquares = squaredNorm(updates.text());
                double imageSquares = squaredNorm(updates.image());
                boolean textFinite = Double.isFinite(textSquares);
                boolean imageFinite = Double.isFinite(imageSquares);
                boolean finite = updates.examplesFinite() && textFinite && imageFinite;
                boolean plausible = plausible(textSquares, largestText) && plausible(imageSquares, largestImage);
                float[] computed = finite && (verify || !plausible) ? flat(updates.text(), updates.image()) : null;
                boolean confirmed = computed != null && java.util.Arrays.equals(computed, previous);
                if (attempt == ATTEMPTS || finite && (confirmed || plausible && !verify)) {
                    apply(updates, textFinite, imageFinite, t);
                    largestText = textFinite ? Math.max(largestText, textSquares) : largestText;
                    largestImage = imageFinite ? Math.max(largestImage, imageSquares) : largestImage;
                    loss = updates.loss();
                    break;
                }
                previous = computed;
                if (!finite) {
                    log.warn("step {}: its update is not finite (attempt {} of {}); computing it again", t, attempt, ATTEMPTS);
                }
                else if (!plausible) {
                    log.warn("step {}: its update is {}× larger than any before (attempt {} of {}); computing it again to check", t,
                            String.format(java.util.Locale.ROOT, "%.1e", Math.sqrt(Math.max(textSquares / Math.max(largestText,
                                    Double.MIN_NORMAL), imageSquares / Math.max(largestImage, Double.MIN_NORMAL)))), attempt, ATTEMPTS);
                }
                else if (previous != null && attempt > 1) {
                    log.warn("step {}: two computations of its update differ (attempt {} of {}); computing it again", t, attempt,
                            ATTEMPTS);
                }
            }
        }
        state.step = t;
        if (options.privacy() != null) {
            state.privateSteps++;
        }
        return loss;
    }

    /** Whether an update's squared norm is within {@link #OUTLIER}² of the largest the branch took; any is, before the first. */
    private static boolean plausible(double squares, double largest) {
        return largest == 0 || squares <= OUTLIER * OUTLIER * largest;
    }

    /** The arrays of these lists (a null list: none) as one flat array, to compare two computations bit for bit. */
    static float[] flat(NDList... branches) {
        List<float[]> parts = new ArrayList<>();
        int size = 0;
        for (NDList branch : branches) {
            if (branch != null) {
                for (NDArray a : branch) {
                    float[] values = a.toFloatArray();
                    parts.add(values);
                    size += values.length;
                }
            }
        }
        float[] all = new float[size];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /**
     * Adam on each branch that takes an update. A branch whose update is still not finite after
     * {@link #ATTEMPTS} (an overflow on some batch) is left as it was: one NaN would otherwise
     * reach every weight through Adam's moments and the model would be lost.
     */
    private void apply(Updates updates, boolean textFinite, boolean imageFinite, long t) {
        if (updates.text() != null && textFinite) {
            state.textAdam.update(state.textParams, updates.text(), textRates(), t);
        }
        else if (updates.text() != null) {
            log.warn("step {}: the text branch's update is not finite after {} attempts; the branch skips this step", t, ATTEMPTS);
        }
        if (updates.image() != null && imageFinite) {
            state.imageAdam.update(state.imageParams, updates.image(), i -> options.imageLearningRate(), t);
        }
        else if (updates.image() != null) {
            log.warn("step {}: the image branch's update is not finite after {} attempts; the branch skips this step", t, ATTEMPTS);
        }
    }

    /**
     * The sum of the squares of these arrays (0 for none): not finite for any NaN or infinity, and
     * for values so large that their squares overflow.
     */
    private static double squaredNorm(NDList arrays) {
        if (arrays == null) {
            return 0;
        }
        NDArray squares = null;
        for (NDArray a : arrays) {
            squares = squares == null ? a.square().sum() : squares.add(a.square().sum());
        }
        return squares == null ? 0 : squares.getFloat();
    }

    private Updates plainStep(NDManager scope, int batchSize, List<TrainingItem> texts, NDList textX, List<TrainingItem> images,
            NDList imageX) {
        if (batchSize == 0) {
            return new Updates(null, null, 0, true);
        }
        NDList textLeaves = trainsText() ? leaves(scope, state.textParams, 0) : null;
        NDList imageLeaves = trainsImage() ? leaves(scope, state.imageParams, 0) : null;
        double loss;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray mean = summedLoss(scope, texts, textX, textLeaves, images, imageX, imageLeaves, false).div(batchSize);
            collector.backward(mean);
            loss = mean.getFloat();
        }
        return new Updates(gradients(scope, textLeaves, textX != null), gradients(scope, imageLeaves, imageX != null), loss, true);
    }

    /** The batch's loss summed over its examples: each one's text loss plus its image loss, for those it has. */
    private NDArray summedLoss(NDManager scope, List<TrainingItem> texts, NDList textX, NDList textLeaves, List<TrainingItem> images,
            NDList imageX, NDList imageLeaves, boolean perExample) {
        NDArray total = null;
        if (textX != null) {
            total = weighted(scope, Network.losses(Network.forward(Network.Kind.TEXT, textX, textLeaves, perExample),
                    labels(scope, texts), classes), texts).sum();
        }
        if (imageX != null) {
            NDArray imageLoss = weighted(scope, Network.losses(Network.forward(Network.Kind.IMAGE, imageX, imageLeaves, perExample),
                    labels(scope, images), classes), images).sum();
            total = total == null ? imageLoss : total.add(imageLoss);
        }
        return total;
    }

    /** The examples' losses, each times its class's weight when the run balances its classes. */
    private NDArray weighted(NDManager scope, NDArray losses, List<TrainingItem> items) {
        if (classWeights == null) {
            return losses;
        }
        float[] weights = new float[items.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) classWeights[items.get(i).label()];
        }
        return losses.mul(scope.create(weights));
    }

    /**
     * The gradients a branch that still trains collected ({@code leaves} null: it does not, and
     * takes no update); zeros when the batch had none of its records, so Adam still steps.
     */
    private static NDList gradients(NDManager scope, NDList leaves, boolean used) {
        if (leaves == null) {
            return null;
        }
        NDList gradients = new NDList();
        for (NDArray leaf : leaves) {
            gradients.add(used ? leaf.getGradient() : scope.zeros(leaf.getShape()));
        }
        return gradients;
    }

    /**
     * DP-SGD: per-example gradients over both branches, each example's clipped to C as one
     * vector, summed, plus N(0, σ²C²) noise on every coordinate, over the expected batch size.
     * The noise is drawn from (seed or secret, step), so computing the step again draws it again;
     * an example whose gradient is still not finite on the last attempt contributes nothing
     * ({@link DpSgd#noisyClippedSum}), so a private step is never skipped for what one example did.
     */
    private Updates privateStep(NDManager scope, List<TrainingItem> batch, List<TrainingItem> texts, NDList textX,
            List<TrainingItem> images, NDList imageX, long t) {
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
        IdentityHashMap<TrainingItem, Double> squared = new IdentityHashMap<>();
        DpSgd.addSquaredNorms(squared, texts, textX == null ? null : DpSgd.gradients(textLeaves));
        DpSgd.addSquaredNorms(squared, images, imageX == null ? null : DpSgd.gradients(imageLeaves));
        RandomGenerator noise = random(t, StepRandom.Purpose.NOISE);
        double expectedBatch = p.sampleRate() * train.size();
        NDList textUpdate = DpSgd.noisyClippedSum(scope, state.textParams, texts, textX == null ? null : DpSgd.gradients(textLeaves),
                squared, noise, expectedBatch, p);
        NDList imageUpdate = DpSgd.noisyClippedSum(scope, state.imageParams, images,
                imageX == null ? null : DpSgd.gradients(imageLeaves), squared, noise, expectedBatch, p);
        return new Updates(textUpdate, imageUpdate, batch.isEmpty() ? 0 : lossSum / batch.size(),
                squared.values().stream().allMatch(Double::isFinite));
    }

    /** The text head's learning rate for its weight and bias, the fine-tuning rate for the adapters after them. */
    private java.util.function.IntToDoubleFunction textRates() {
        return i -> i < 2 ? options.textLearningRate() : options.fineTuning().learningRate();
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

    private static NDArray labels(NDManager scope, List<TrainingItem> items) {
        return scope.create(items.stream().mapToInt(TrainingItem::label).toArray());
    }

    private NDList textBatch(NDManager scope, List<TrainingItem> items) {
        return Network.textBatch(scope, items.stream().map(TrainingItem::textFeatures).toList(), options.textLayers());
    }

    private static NDList imageBatch(NDManager scope, List<TrainingItem> items, RandomGenerator augment) {
        return Network.imageBatch(scope, items.stream().map(TrainingItem::pixels).toList(), augment);
    }

    /** Each branch's logits on these records (null where a record lacks the modality or the branch does not exist). */
    Scores score(List<TrainingItem> items) {
        float[][] text = new float[items.size()][];
        float[][] image = new float[items.size()][];
        int[] labels = items.stream().mapToInt(TrainingItem::label).toArray();
        for (int start = 0; start < items.size(); start += SCORE_CHUNK) {
            List<TrainingItem> chunk = items.subList(start, Math.min(items.size(), start + SCORE_CHUNK));
            try (NDManager scope = manager.newSubManager()) {
                fill(text, start, chunk, TrainingItem::hasText, state.textParams, Network.Kind.TEXT, c -> textBatch(scope, c));
                fill(image, start, chunk, TrainingItem::hasImage, state.imageParams, Network.Kind.IMAGE, c -> imageBatch(scope, c, null));
            }
        }
        return new Scores(text, image, labels);
    }

    private void fill(float[][] out, int offset, List<TrainingItem> chunk, java.util.function.Predicate<TrainingItem> has, NDList params,
            Network.Kind kind, java.util.function.Function<List<TrainingItem>, NDList> features) {
        if (params == null) {
            return;
        }
        List<Integer> positions = new ArrayList<>();
        List<TrainingItem> present = new ArrayList<>();
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

    /**
     * Temperatures (not under DP), α, the frozen text head fit again on train and validation
     * ({@link #refitsText}), the artifact and the test-split metrics: exact for a run that is not
     * private; for a private one, looked at only where it is charged (validation only to choose α
     * noisily, test only for the noisy release of {@link TrainingOptions.Privacy#metricsNoiseMultiplier}).
     */
    TrainingResult finish(List<TrainingItem> items, List<String> labels, TrainingListener listener) {
        if (state.textBest != null) {
            state.textParams = state.textBestParams;
        }
        if (state.imageBest != null) {
            state.imageParams = state.imageBestParams;
        }
        TrainingOptions.Privacy privacy = options.privacy();
        boolean both = state.textParams != null && state.imageParams != null;
        double textTemperature = 1;
        double imageTemperature = 1;
        double alpha;
        TrainingResult.PrivacySpent spent = null;
        if (privacy == null) {
            Scores validationLogits = score(TrainingItem.split(items, Example.Split.VALIDATION));
            textTemperature = validationLogits.temperature(validationLogits.text());
            imageTemperature = validationLogits.temperature(validationLogits.image());
            Scores validation = validationLogits.calibrated(textTemperature, imageTemperature);
            alpha = both ? Fusion.fit(validation.textBoth(), validation.imageBoth(), validation.labelsBoth()) : 0.5;
        }
        else if (privacy.alpha() != null || !both) {
            alpha = privacy.alpha() != null ? privacy.alpha() : 0.5;
            spent = spent(privacy, null, privacy.alpha() != null ? "given in the request" : "fixed at 0.5: the model has one branch");
        }
        else {
            Scores validation = score(TrainingItem.split(items, Example.Split.VALIDATION)).calibrated(1, 1);
            alpha = Fusion.chooseNoisily(validation.textBoth(), validation.imageBoth(), validation.labelsBoth(),
                    privacy.selectionNoiseMultiplier(), random(0, StepRandom.Purpose.SELECT));
            spent = spent(privacy, privacy.selectionNoiseMultiplier(), "report-noisy-max over α = 0, 0.1, …, 1 on the validation "
                    + "split, Gaussian noise σ = " + privacy.selectionNoiseMultiplier() + " × √11");
        }
        TrainingResult.Refit textRefit = null;
        if (refitsText(items)) {
            List<TrainingItem> records = items.stream().filter(i -> i.example().split() != Example.Split.TEST && i.hasText()).toList();
            state.textParams = refitTextHead(records, state.textBest.epoch(), listener);
            textRefit = new TrainingResult.Refit(state.textBest.epoch(), records.size());
        }
        ModelArtifact artifact = new ModelArtifact(List.copyOf(labels), alpha, textTemperature, imageTemperature,
                state.textParams == null ? null : state.textParams.encode(),
                state.imageParams == null ? null : state.imageParams.encode(), MiniLm.NAME);
        TrainingResult.Schedule schedule = new TrainingResult.Schedule(state.epoch, options.batchSize(),
                state.textParams == null ? null : options.textLearningRate(), state.imageParams == null ? null : options.imageLearningRate(),
                keptEpoch(state.textParams, state.textBest), keptEpoch(state.imageParams, state.imageBest),
                privacy == null ? List.copyOf(state.curve) : List.of(),
                state.textParams == null || options.fineTuning() == null ? null
                        : new TrainingResult.FineTuned(options.textLayers(), Adapters.RANK, options.fineTuning().learningRate()),
                classWeights == null ? null : java.util.Arrays.stream(classWeights).boxed().toList(), textRefit);
        if (privacy != null && !(privacy.metricsNoiseMultiplier() > 0)) {
            // nothing released of the test split, so nothing computed on it
            return new TrainingResult(artifact, null, null, null, alpha, spent, schedule);
        }
        Scores test = score(TrainingItem.split(items, Example.Split.TEST)).calibrated(textTemperature, imageTemperature);
        Metrics text = test.metrics(test.text(), classes);
        Metrics image = test.metrics(test.image(), classes);
        Metrics fused = Metrics.of(test.labels(), test.fusedPredictions(alpha), classes);
        if (privacy != null) {
            RandomGenerator release = random(0, StepRandom.Purpose.RELEASE);
            double noise = privacy.countNoise(both ? 3 : 1);
            // one branch: the fused predictions are that branch's, released once and shown as both
            text = state.textParams == null ? text : text.released(noise, release);
            image = state.imageParams == null ? image : image.released(noise, release);
            fused = both ? fused.released(noise, release) : state.textParams != null ? text : image;
        }
        return new TrainingResult(artifact, text, image, fused, alpha, spent, schedule);
    }

    /** What a private run spent: its DP-SGD steps, the noisy choice of α if one ran, and its test metrics' release. */
    private TrainingResult.PrivacySpent spent(TrainingOptions.Privacy privacy, Double selectionNoiseMultiplier, String alphaMethod) {
        return new TrainingResult.PrivacySpent(state.privateSteps, privacy.sampleRate(), privacy.noiseMultiplier(),
                selectionNoiseMultiplier, alphaMethod, textStart(),
                privacy.metricsNoiseMultiplier() > 0 ? privacy.metricsNoiseMultiplier() : null);
    }

    /**
     * Whether the text head is fit again once early stopping has chosen its epochs: in a run that
     * is not private, stops early and keeps the encoder frozen, when the validation split has
     * text. Early stopping holds the validation records out to choose by; once it has chosen, a
     * head fit on them too learns from an eighth more records (as a regression whose L2 is chosen
     * by cross-validation is then fit on all of them). Measured on emoji, test accuracy: the
     * early-stopped head 0.829, the head fit again 0.850, a logistic regression on the same
     * embeddings and records 0.846. It costs one more fit of a linear head (seconds). The
     * fine-tuned encoder and the image network are not fit again: that would double the job.
     */
    private boolean refitsText(List<TrainingItem> items) {
        return options.privacy() == null && options.stopsEarly() && state.textParams != null && state.textBest != null
                && options.textLayers() == 0
                && items.stream().anyMatch(i -> i.example().split() == Example.Split.VALIDATION && i.hasText());
    }

    /**
     * A text head trained from the run's initial weights on {@code records} for {@code epochs}
     * epochs, at the run's batch size, rate and class weighting, its batches drawn from the run's
     * seed: the same head again whenever a resumed job finishes.
     */
    private NDList refitTextHead(List<TrainingItem> records, int epochs, TrainingListener listener) {
        TrainingOptions refit = new TrainingOptions(epochs, options.batchSize(), options.textLearningRate(), options.imageLearningRate(), 0,
                options.seed(), null, true, false, null, options.balancedClasses());
        TrainingState head = TrainingState.fresh(manager, refit, classes, true, false, null, null);
        TrainingRun run = new TrainingRun(manager, head, refit, classes, records, fault, verify);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (List<TrainingItem> batch : run.batches(epoch)) {
                if (listener.cancelRequested()) {
                    throw new TrainingCancelledException(state.step);
                }
                run.step(batch);
            }
            head.epoch = epoch;
        }
        return head.textParams;
    }

    /** A private run's account of where its text head started (null without a text branch); see {@link MultimodalTrainer#startsFromLabels}. */
    private String textStart() {
        return state.textParams == null ? null
                : "the embeddings of the dataset's label names: public, declared when the dataset was created and named by every prediction";
    }

    private Integer keptEpoch(NDList params, BranchBest best) {
        return params == null ? null : best != null ? best.epoch() : state.epoch;
    }
}
