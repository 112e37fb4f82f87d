package dev.braid.model;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** What both branches' translators share: stacked batches in, logits out as a temperature-scaled softmax. */
abstract class CalibratedTranslator<I> implements Translator<I, float[]> {

    private final double temperature;

    CalibratedTranslator(double temperature) {
        this.temperature = temperature;
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return Calibration.softmax(list.singletonOrThrow().toFloatArray(), temperature);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
