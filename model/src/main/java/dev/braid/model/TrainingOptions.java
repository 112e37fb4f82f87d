package dev.braid.model;

/**
 * How to train: passes over the data (at most, with early stopping), examples per step (expected
 * examples, under DP), Adam's learning rate for each branch, the seed that makes a run repeatable,
 * {@code patience} for early stopping, {@code privacy} for DP-SGD (null: not private), and which
 * branches to train ({@code text}, {@code image}: a branch left out is not in the model),
 * {@code fineTuning} of the text encoder (null: frozen), and {@code balancedClasses}: each train
 * record's loss weighted by n / (k · n_c) for its class c (n records, k classes present, as
 * scikit-learn's {@code class_weight="balanced"}), so every class weighs the same in training and in
 * the validation loss early stopping watches, however rare. Not under DP: the weights are the train
 * split's class counts, a statistic DP-SGD does not account for.
 *
 * <p>Early stopping ({@code patience > 0}): after every epoch each branch's validation loss is
 * measured; a branch whose loss has not improved on its best for {@code patience} epochs trains no
 * more, the run ends once every branch has stopped (or after {@code epochs}), and the model keeps
 * each branch's best epoch. A private run cannot have it: choosing by the validation split is one
 * more look at private records that nothing would account for.
 */
public record TrainingOptions(int epochs, int batchSize, double textLearningRate, double imageLearningRate, int patience, long seed,
        Privacy privacy, boolean text, boolean image, FineTuning fineTuning, boolean balancedClasses) {

    /** The most epochs a default run may take; early stopping usually ends it well before. */
    public static final int DEFAULT_MAX_EPOCHS = 60;
    public static final int DEFAULT_BATCH_SIZE = 32;
    /**
     * A linear head over unit-norm 384-dimensional embeddings needs weights an order of magnitude
     * larger than a freshly initialised CNN's, and Adam moves each weight by about the learning
     * rate per step: at 1e-3 a few hundred steps leave it under-fit (measured: 0.65 against 0.82
     * for a logistic regression on the same embeddings).
     */
    public static final double DEFAULT_TEXT_LEARNING_RATE = 1e-2;
    public static final double DEFAULT_IMAGE_LEARNING_RATE = 1e-3;
    public static final int DEFAULT_PATIENCE = 8;
    /**
     * A private job's plan when it names only ε: every one of its epochs runs (its ε is reserved
     * for them), at an expected batch of 256 records, its linear text head at 3e-2 from its labels'
     * names ({@link MultimodalTrainer#startsFromLabels}). Under DP-SGD the noise on the averaged
     * gradient falls as the batch grows (σ/B: 3.77/256 against 1.33/64 at ε = 3 on 1,429 records)
     * while the step count the budget allows falls more slowly. On emoji at ε = 3 (test accuracy,
     * mean over noise draws): from the label names, batch 256, 30 epochs, 3e-2: 0.766 (18
     * draws); 5e-2: 0.763 (five); 1e-1: 0.738 (13); 1e-2: 0.730 (three). From a random start,
     * 256, 30, 1e-1: 0.738 (ten draws); 256, 30, 5e-2: 0.745; 128, 20, 5e-2: 0.751; 128, 20, 1e-1:
     * 0.723; 64, 10, 5e-2: 0.733 (five draws each).
     */
    public static final int DEFAULT_PRIVATE_EPOCHS = 30;
    public static final int DEFAULT_PRIVATE_BATCH_SIZE = 256;
    public static final double DEFAULT_PRIVATE_TEXT_LEARNING_RATE = 3e-2;

    /**
     * Fine-tuning's rate for the adapters of a job that is not private. On emoji (1,429 train
     * names, text branch alone, test accuracy): all six layers at 3e-4, 0.874; at 1e-3, 0.860; at
     * 3e-3, 0.860; the top two at 1e-3, 0.836; the frozen encoder, 0.850 (a logistic regression
     * on its embeddings, 0.846).
     */
    public static final double DEFAULT_FINE_TUNING_LEARNING_RATE = 3e-4;
    /** The adapters' rate when a private job asks for fine-tuning (emoji, ε = 3: 0.731, against 0.738 frozen). */
    public static final double DEFAULT_PRIVATE_FINE_TUNING_LEARNING_RATE = 5e-3;
    /**
     * The most (train tokens × fine-tuned layers) a job that leaves the choice to the trainer
     * fine-tunes: emoji's 1,429 names fine-tune all six layers at about 19 s an epoch on 2 cores; a
     * split of longer texts gets fewer layers, and one of over 150,000 tokens the frozen encoder.
     */
    public static final long DEFAULT_FINE_TUNING_BUDGET = 150_000;

    public TrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(textLearningRate > 0) || !(imageLearningRate > 0) || patience < 0) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, learning rates above 0, patience not negative");
        }
        if (privacy != null && patience > 0) {
            throw new IllegalArgumentException("a private run cannot stop early: choosing by the validation split is not accounted for");
        }
        if (!text && !image) {
            throw new IllegalArgumentException("a run trains the text branch, the image branch or both");
        }
        if (fineTuning != null && !text) {
            throw new IllegalArgumentException("fine-tuning the text encoder needs a run that trains the text branch");
        }
        if (privacy != null && fineTuning != null && fineTuning.budget() > 0) {
            throw new IllegalArgumentException("a private run cannot choose its fine-tuned layers by the size of its data: "
                    + "that choice is not accounted for");
        }
        if (privacy != null && balancedClasses) {
            throw new IllegalArgumentException("a private run cannot weight its classes: the weights are the train split's class "
                    + "counts, which DP-SGD does not account for");
        }
    }

    /** Every class weighted by how often it occurs, as the data has them. */
    public TrainingOptions(int epochs, int batchSize, double textLearningRate, double imageLearningRate, int patience, long seed,
            Privacy privacy, boolean text, boolean image, FineTuning fineTuning) {
        this(epochs, batchSize, textLearningRate, imageLearningRate, patience, seed, privacy, text, image, fineTuning, false);
    }

    /** The frozen text encoder. */
    public TrainingOptions(int epochs, int batchSize, double textLearningRate, double imageLearningRate, int patience, long seed,
            Privacy privacy, boolean text, boolean image) {
        this(epochs, batchSize, textLearningRate, imageLearningRate, patience, seed, privacy, text, image, null);
    }

    /** Both branches, for the records that have each modality. */
    public TrainingOptions(int epochs, int batchSize, double textLearningRate, double imageLearningRate, int patience, long seed,
            Privacy privacy) {
        this(epochs, batchSize, textLearningRate, imageLearningRate, patience, seed, privacy, true, true);
    }

    /** One learning rate for both branches, every epoch run, the last weights kept. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Privacy privacy) {
        this(epochs, batchSize, learningRate, learningRate, 0, seed, privacy);
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed) {
        this(epochs, batchSize, learningRate, seed, null);
    }

    /** What a job that names only its dataset gets, when it is not private. */
    public static TrainingOptions defaults(long seed) {
        return new TrainingOptions(DEFAULT_MAX_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_TEXT_LEARNING_RATE, DEFAULT_IMAGE_LEARNING_RATE,
                DEFAULT_PATIENCE, seed, null, true, true, fineTuning(null, false));
    }

    /**
     * The fine-tuning a job gets: asked for ({@code true}), every layer whatever it costs; refused
     * ({@code false}), none; left to the trainer ({@code null}), every layer within
     * {@link #DEFAULT_FINE_TUNING_BUDGET} for a job that is not private, and none for a private
     * one (under DP-SGD the noise on 74 k adapter weights cost more than they bought: see
     * {@link #DEFAULT_PRIVATE_FINE_TUNING_LEARNING_RATE}, at 23 times the time).
     */
    public static FineTuning fineTuning(Boolean asked, boolean isPrivate) {
        double rate = isPrivate ? DEFAULT_PRIVATE_FINE_TUNING_LEARNING_RATE : DEFAULT_FINE_TUNING_LEARNING_RATE;
        if (asked == null) {
            return isPrivate ? null : new FineTuning(MiniLm.LAYERS, rate, DEFAULT_FINE_TUNING_BUDGET);
        }
        return asked ? new FineTuning(MiniLm.LAYERS, rate, 0) : null;
    }

    /** How many of MiniLM's top layers the run fine-tunes: 0 when the encoder stays frozen. */
    public int textLayers() {
        return fineTuning == null ? 0 : fineTuning.layers();
    }

    public boolean stopsEarly() {
        return patience > 0;
    }

    public boolean isPrivate() {
        return privacy != null;
    }

    /**
     * DP-SGD: each step takes every train record with probability {@code sampleRate} (Poisson
     * sampling), clips each record's gradient to {@code maxGradNorm}, adds Gaussian noise of
     * standard deviation {@code noiseMultiplier · maxGradNorm} to the sum; {@code stepsPerEpoch}
     * steps per epoch. The fusion weight is {@code alpha} when given, else chosen on the
     * validation split by report-noisy-max with Gaussian noise ({@code selectionNoiseMultiplier}),
     * one more mechanism to account for (a model of two branches without {@code alpha} needs it
     * above 0; a model of one has no α to choose).
     *
     * <p>Nothing else the run computes on the records is released: its epochs report no loss or
     * accuracy, and its test metrics are the Gaussian mechanism's: each branch's correct and total
     * counts with noise of {@code metricsNoiseMultiplier} times their joint sensitivity
     * ({@link Metrics#released}), or none when it is 0. {@code trainsOnValidation}: the run's
     * Poisson sampling draws from the train and validation splits together, for a run that looks at
     * validation for nothing else (no α to choose from it): 13 % more records at no ε cost.
     */
    public record Privacy(double noiseMultiplier, double maxGradNorm, double sampleRate, int stepsPerEpoch, Double alpha,
            double selectionNoiseMultiplier, double metricsNoiseMultiplier, boolean trainsOnValidation) {

        public Privacy {
            if (!(noiseMultiplier > 0) || !(maxGradNorm > 0) || !(sampleRate > 0) || sampleRate > 1 || stepsPerEpoch < 1) {
                throw new IllegalArgumentException("DP-SGD needs noiseMultiplier and maxGradNorm above 0, a sample rate in (0, 1] "
                        + "and at least one step per epoch");
            }
            if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1]");
            }
            if (!(selectionNoiseMultiplier >= 0) || !(metricsNoiseMultiplier >= 0)) {
                throw new IllegalArgumentException("the selection and metrics noise multipliers must not be negative");
            }
        }

        /** DP-SGD on the train split alone, releasing no test metrics. */
        public Privacy(double noiseMultiplier, double maxGradNorm, double sampleRate, int stepsPerEpoch, Double alpha,
                double selectionNoiseMultiplier) {
            this(noiseMultiplier, maxGradNorm, sampleRate, stepsPerEpoch, alpha, selectionNoiseMultiplier, 0, false);
        }

        /**
         * The standard deviation of the noise on each released count of a model with {@code branches} distinct
         * branches (1, or 3 with text, image and fused): a record moves at most its branches' two counts each by one,
         * so the counts' L2 sensitivity is √(2 · branches).
         */
        double countNoise(int branches) {
            return metricsNoiseMultiplier * Math.sqrt(2.0 * branches);
        }
    }

    /**
     * Fine-tuning of the pretrained text encoder: low-rank adapters (LoRA) on the query and value
     * projections of MiniLM's top {@code layers} layers, trained with the text head at
     * {@code learningRate} (the head keeps its own rate). With a {@code budget} above 0 the run
     * fine-tunes only as many top layers as keep (train tokens × layers) within it, none when
     * not even one fits: a bound on the work per epoch, from the data's size alone, so that a
     * job on long texts stays affordable on a CPU. 0: the layers asked for, whatever they cost.
     */
    public record FineTuning(int layers, double learningRate, long budget) {

        public FineTuning {
            if (layers < 1 || layers > MiniLm.LAYERS || !(learningRate > 0) || budget < 0) {
                throw new IllegalArgumentException("fine-tuning covers 1 to " + MiniLm.LAYERS
                        + " layers at a learning rate above 0, within a budget not below 0");
            }
        }

        /** The layers to fine-tune for a train split of {@code tokens} tokens: 0 for none. */
        int layersFor(long tokens) {
            return budget == 0 ? layers : (int) Math.min(layers, budget / Math.max(tokens, 1));
        }
    }

    /** These options with {@code layers} (0: none) fine-tuned at this run's fine-tuning rate, within no budget. */
    TrainingOptions withTextLayers(int layers) {
        FineTuning chosen = layers == 0 ? null : new FineTuning(layers, fineTuning.learningRate(), 0);
        return new TrainingOptions(epochs, batchSize, textLearningRate, imageLearningRate, patience, seed, privacy, text, image, chosen,
                balancedClasses);
    }
}
