package dev.braid.model;

/** How to train: passes over the data, examples per step, Adam's learning rate, and the seed that makes a run repeatable. */
public record TrainingOptions(int epochs, int batchSize, double learningRate, long seed) {

    public TrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, learningRate above 0");
        }
    }
}
