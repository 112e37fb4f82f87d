package dev.braid.model;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDManager;

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
 * <p>Under early stopping ({@link TrainingOptions}) a branch stops training once its validation
 * loss has not improved for the patience, and the model keeps each branch's best epoch; a frozen
 * text head is then fit again on train and validation for the epochs it kept ({@link TrainingRun#finish}).
 *
 * <p>With fine-tuning ({@link TrainingOptions.FineTuning}) the text branch trains low-rank adapters
 * of the encoder's top layers with its head; how many layers is settled first (within the budget,
 * by the train split's token count), and the text features are the token states below them.
 * The loop itself is {@link TrainingRun}'s.
 *
 * <p>After every epoch the listener gets a {@link Checkpoint}; a run given one carries on from it
 * and, because every random draw is derived from (seed, step), draws what the interrupted run
 * would have drawn.
 */
public final class MultimodalTrainer {

    /**
     * The most token states a fine-tuning run keeps in memory, for every record with text: 384
     * floats (1.5 KB) a token, so about 384 MB. A trainer-chosen fine-tuning over it keeps the
     * encoder frozen; one a job asked for fails with the figures.
     */
    static final long MAX_CACHED_TOKENS = 250_000;

    /** Where a private run's secret comes from: the platform's strong generator, or a seeded one in tests that must not depend on luck. */
    private final Random secrets;
    private final long maxCachedTokens;

    public MultimodalTrainer() {
        this(new SecureRandom());
    }

    MultimodalTrainer(Random secrets) {
        this(secrets, MAX_CACHED_TOKENS);
    }

    MultimodalTrainer(Random secrets, long maxCachedTokens) {
        this.secrets = secrets;
        this.maxCachedTokens = maxCachedTokens;
    }

    public TrainingResult train(List<Example> examples, List<String> labels, TrainingOptions options, TrainingListener listener) {
        return train(examples, labels, options, listener, null);
    }

    public TrainingResult train(List<Example> examples, List<String> labels, TrainingOptions options, TrainingListener listener,
            Checkpoint resume) {
        List<Example> trainExamples = examples.stream().filter(e -> e.split() == Example.Split.TRAIN).toList();
        if (trainExamples.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no records in its train split");
        }
        // a private run's branches are the job's, whatever the records hold: that a modality is absent from them would be
        // one more fact about the records, and the model's shape and the noise on its metrics would release it
        boolean text = options.text() && (options.isPrivate() || trainExamples.stream().anyMatch(Example::hasText));
        boolean image = options.image() && (options.isPrivate() || trainExamples.stream().anyMatch(Example::hasImage));
        if (!text && !image) {
            throw new IllegalArgumentException("the train split has no records with the modalities this job trains ("
                    + (options.text() ? options.image() ? "text, image" : "text" : "image") + ")");
        }
        TrainingOptions.Privacy privacy = options.privacy();
        boolean choosesAlpha = privacy != null && text && image && privacy.alpha() == null;
        if (choosesAlpha && !(privacy.selectionNoiseMultiplier() > 0)) {
            throw new IllegalArgumentException("choosing alpha privately needs a selection noise multiplier above 0");
        }
        if (choosesAlpha && privacy.trainsOnValidation()) {
            throw new IllegalArgumentException("a run that chooses alpha on the validation split cannot also train on it");
        }
        if (text && options.fineTuning() != null) {
            options = options.withTextLayers(fineTunedLayers(options.fineTuning(), examples, resume));
        }
        // features only for the branches the model will have: no text encoding for an image model, no pixels for a text one
        List<TrainingItem> items = TrainingItem.all(examples, text, image, text ? options.textLayers() : 0);
        List<TrainingItem> train = privacy != null && privacy.trainsOnValidation()
                ? items.stream().filter(i -> i.example().split() != Example.Split.TEST).toList()
                : TrainingItem.split(items, Example.Split.TRAIN);
        int classes = labels.size();
        int stepsPerEpoch = privacy != null ? privacy.stepsPerEpoch() : (train.size() + options.batchSize() - 1) / options.batchSize();
        long steps = (long) stepsPerEpoch * options.epochs();

        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            TrainingState state = resume == null
                    ? TrainingState.fresh(manager, options, classes, text, image, secrets,
                            text && startsFromLabels(options) ? MiniLm.shared().encode(labels) : null)
                    : TrainingState.restore(manager, resume, labels, text, image, options);
            TrainingRun run = new TrainingRun(manager, state, options, classes, train);
            // a private run looks at validation only to choose α, once, at its end
            List<TrainingItem> validation = privacy != null ? List.of() : TrainingItem.split(items, Example.Split.VALIDATION);
            for (int epoch = state.epoch + 1; epoch <= options.epochs() && run.training(); epoch++) {
                double lossSum = 0;
                int batches = 0;
                for (List<TrainingItem> batch : run.batches(epoch)) {
                    if (listener.cancelRequested()) {
                        throw new TrainingCancelledException(state.step);
                    }
                    double loss = run.step(batch);
                    // a batch whose loss overflowed every time it was computed changed nothing (see TrainingRun.step) and is left out of the mean
                    if (Double.isFinite(loss)) {
                        lossSum += loss;
                        batches++;
                    }
                    listener.onStep(epoch, state.step, steps);
                }
                EpochSummary summary = run.endEpoch(epoch, validation, batches == 0 ? 0 : lossSum / batches);
                state.epoch = epoch;
                // the checkpoint first: it holds the private steps run, what a failed job is charged for, so an
                // epoch is reported only once what it spent is on record
                listener.onCheckpoint(state.checkpoint(labels));
                listener.onEpoch(summary, options.epochs(), state.step, steps);
            }
            return run.finish(items, labels, listener);
        }
    }

    /**
     * Whether the run's text head starts from its labels' names ({@link Network#startFromLabels})
     * rather than at random: a private run's does. Under DP-SGD every step's gradient is noisy and
     * the steps are few, so where training starts shows in the model; the label names are public
     * facts (declared when the dataset was created, before any record, and named by every
     * prediction), so starting from them costs no ε. On emoji at ε = 3 (text alone, test accuracy):
     * 0.766 from the label names (18 noise draws), whose zero-shot accuracy alone is 0.591,
     * against 0.738 from a random start (ten draws). Runs that are not private keep the random start:
     * their head is fit to convergence either way.
     */
    static boolean startsFromLabels(TrainingOptions options) {
        return options.isPrivate();
    }

    /**
     * How many top layers the run fine-tunes. A run that left the choice to the trainer keeps the
     * one it made when it started (a checkpoint from before fine-tuning existed says none), so a
     * resumed job never meets a checkpoint of another shape.
     */
    private int fineTunedLayers(TrainingOptions.FineTuning fineTuning, List<Example> examples, Checkpoint resume) {
        if (resume != null && fineTuning.budget() > 0) {
            return resume.header().textLayers();
        }
        List<Example> texts = examples.stream().filter(Example::hasText).toList();
        int[][] tokens = MiniLm.shared().tokens(texts.stream().map(Example::text).toList());
        long all = 0;
        long train = 0;
        for (int i = 0; i < tokens.length; i++) {
            all += tokens[i].length;
            train += texts.get(i).split() == Example.Split.TRAIN ? tokens[i].length : 0;
        }
        if (all > maxCachedTokens) {
            if (fineTuning.budget() > 0) {
                return 0;
            }
            throw new IllegalArgumentException("fine-tuning the text encoder keeps every text's token states in memory, 1.5 KB a "
                    + "token: this dataset's " + all + " tokens would take " + all * MiniLm.DIMENSIONS * Float.BYTES / (1 << 20)
                    + " MB, over the " + maxCachedTokens * MiniLm.DIMENSIONS * Float.BYTES / (1 << 20)
                    + " MB a job may hold; train it with fineTuneText false");
        }
        return fineTuning.layersFor(train);
    }
}
