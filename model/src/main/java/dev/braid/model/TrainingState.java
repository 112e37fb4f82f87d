package dev.braid.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Everything a checkpoint holds, live. */
final class TrainingState {

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

    /**
     * A run's first state. {@code labelEmbeddings} (null: none) start the text head from its
     * labels' names ({@link Network#startFromLabels}); the random draws are the same either way,
     * so the image network starts alike.
     */
    static TrainingState fresh(NDManager manager, TrainingOptions options, int classes, boolean text, boolean image, Random secrets,
            float[][] labelEmbeddings) {
        TrainingState s = new TrainingState();
        RandomGenerator init = StepRandom.of(options.seed(), null, 0, StepRandom.Purpose.INITIALISE);
        if (text) {
            s.textParams = Network.initialise(Network.Kind.TEXT, classes, options.textLayers(), manager, init);
            if (labelEmbeddings != null) {
                Network.startFromLabels(s.textParams, labelEmbeddings);
            }
            s.textAdam = Adam.fresh(s.textParams);
        }
        if (image) {
            s.imageParams = Network.initialise(Network.Kind.IMAGE, classes, 0, manager, init);
            s.imageAdam = Adam.fresh(s.imageParams);
        }
        if (options.isPrivate()) {
            s.secret = new byte[32];
            secrets.nextBytes(s.secret);
        }
        return s;
    }

    static TrainingState restore(NDManager manager, Checkpoint checkpoint, List<String> labels, boolean text, boolean image,
            TrainingOptions options) {
        Checkpoint.Header h = checkpoint.header();
        if (!h.labels().equals(labels) || h.text() != text || h.image() != image || (h.secret() != null) != options.isPrivate()
                || h.textLayers() != (text ? options.textLayers() : 0)) {
            throw new IllegalArgumentException(
                    "the checkpoint was taken for other labels, modalities, privacy or fine-tuning than this run has");
        }
        NDList arrays = NDList.decode(manager, checkpoint.arrays());
        TrainingState s = new TrainingState();
        int at = 0;
        if (text) {
            int n = Network.shapes(Network.Kind.TEXT, labels.size(), h.textLayers()).size();
            s.textParams = slice(arrays, at, n);
            s.textAdam = new Adam(slice(arrays, at + n, n), slice(arrays, at + 2 * n, n));
            at += 3 * n;
        }
        if (image) {
            int n = Network.shapes(Network.Kind.IMAGE, labels.size(), 0).size();
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
                textParams != null, imageParams != null, secret, List.copyOf(curve), textBest, imageBest,
                textParams == null ? 0 : Network.textLayers(textParams)), all.encode());
    }
}
