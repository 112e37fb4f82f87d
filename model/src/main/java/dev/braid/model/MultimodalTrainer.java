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
 * loss has not improved for the patience, and the model keeps each branch's best epoch.
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
        List<Example> trainExamples = examples.stream().filter(e -> e.split() == Example.Split.TRAIN).toList();
        if (trainExamples.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no records in its train split");
        }
        boolean text = options.text() && trainExamples.stream().anyMatch(Example::hasText);
        boolean image = options.image() && trainExamples.stream().anyMatch(Example::hasImage);
        if (!text && !image) {
            throw new IllegalArgumentException("the train split has no records with the modalities this job trains ("
                    + (options.text() ? options.image() ? "text, image" : "text" : "image") + ")");
        }
        TrainingOptions.Privacy privacy = options.privacy();
        if (privacy != null && text && image && privacy.alpha() == null && !(privacy.selectionNoiseMultiplier() > 0)) {
            throw new IllegalArgumentException("choosing alpha privately needs a selection noise multiplier above 0");
        }
        if (text && options.fineTuning() != null) {
            // a run that left the layers to the trainer keeps the choice it made when it started (a checkpoint
            // from before fine-tuning existed says none), so a resumed job never meets a checkpoint of another shape
            boolean chosen = resume != null && options.fineTuning().budget() > 0;
            options = options.withTextLayers(chosen ? resume.header().textLayers()
                    : options.fineTuning().layersFor(trainTokens(trainExamples)));
        }
        // features only for the branches the model will have: no text encoding for an image model, no pixels for a text one
        List<TrainingItem> items = TrainingItem.all(examples, text, image, text ? options.textLayers() : 0);
        List<TrainingItem> train = TrainingItem.split(items, Example.Split.TRAIN);
        int classes = labels.size();
        int stepsPerEpoch = privacy != null ? privacy.stepsPerEpoch() : (train.size() + options.batchSize() - 1) / options.batchSize();
        long steps = (long) stepsPerEpoch * options.epochs();

        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            TrainingState state = resume == null ? TrainingState.fresh(manager, options, classes, text, image, secrets)
                    : TrainingState.restore(manager, resume, labels, text, image, options);
            TrainingRun run = new TrainingRun(manager, state, options, classes, train);
            List<TrainingItem> validation = TrainingItem.split(items, Example.Split.VALIDATION);
            for (int epoch = state.epoch + 1; epoch <= options.epochs() && run.training(); epoch++) {
                double lossSum = 0;
                int batches = 0;
                for (List<TrainingItem> batch : run.batches(epoch, stepsPerEpoch)) {
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

    private static long trainTokens(List<Example> train) {
        long tokens = 0;
        for (int[] t : MiniLm.shared().tokens(train.stream().filter(Example::hasText).map(Example::text).toList())) {
            tokens += t.length;
        }
        return tokens;
    }
}
