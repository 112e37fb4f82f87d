package dev.braid.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step whose update comes back wrong is computed again: PyTorch's CPU kernels have returned a
 * backward pass that was NaN, or finite garbage, now and then, and the same step computed again was
 * right. A run that met such a fault ends bit for bit where a run that never met it ends; a step that
 * is never finite leaves its branch as it was and the run goes on; a finite update far larger than
 * any before is taken only once a second computation confirms it. The fault is injected into the text
 * branch's update, plainly, with a fine-tuned encoder and under DP-SGD.
 */
class StepRetryTests {

    private static final List<String> LABELS = SyntheticData.LABELS;
    private static final int STEPS = 8;
    private static final long FAULTY_STEP = 3;

    enum Kind {
        PLAIN(new TrainingOptions(3, 8, 0.01, 11)),
        FINE_TUNED(new TrainingOptions(3, 8, 0.01, 0.01, 0, 11, null, true, true, new TrainingOptions.FineTuning(2, 1e-3, 0))),
        PRIVATE(new TrainingOptions(3, 8, 0.01, 11, new TrainingOptions.Privacy(1.0, 1.0, 8.0 / 36, 5, null, 5.0)));

        final TrainingOptions options;

        Kind(TrainingOptions options) {
            this.options = options;
        }
    }

    /** Each branch's parameters, flattened, after every step of a run. */
    private record Trace(List<float[]> text, List<float[]> image, List<Double> losses) {
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldEndWhereARunThatNeverMetTheFaultEnds(Kind kind) {
        List<Example> examples = SyntheticData.examples(60, 4);

        Trace clean = run(examples, kind.options, TrainingRun.Fault.NONE, false);
        Trace faulted = run(examples, kind.options, (step, attempt) -> step == FAULTY_STEP && attempt < TrainingRun.ATTEMPTS
                ? Float.NaN : 1f, false);

        assertThat(clean.text().get((int) FAULTY_STEP - 1)).as("the step changed the text branch").isNotEqualTo(clean.text().get(0));
        for (int s = 0; s < STEPS; s++) {
            assertThat(faulted.text().get(s)).as("text after step %d", s + 1).isEqualTo(clean.text().get(s));
            assertThat(faulted.image().get(s)).as("image after step %d", s + 1).isEqualTo(clean.image().get(s));
        }
        assertThat(faulted.losses()).isEqualTo(clean.losses());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldLeaveTheBranchAsItWasWhenTheStepIsNeverFinite(Kind kind) {
        List<Example> examples = SyntheticData.examples(60, 4);

        Trace clean = run(examples, kind.options, TrainingRun.Fault.NONE, false);
        Trace faulted = run(examples, kind.options, (step, attempt) -> step == FAULTY_STEP ? Float.NaN : 1f, false);

        int at = (int) FAULTY_STEP - 1;
        assertThat(faulted.text().get(at)).as("the text branch skipped the step").isEqualTo(faulted.text().get(at - 1));
        assertThat(clean.text().get(at)).isNotEqualTo(clean.text().get(at - 1));
        assertThat(faulted.image().get(at)).as("the image branch took its step").isEqualTo(clean.image().get(at));
        assertThat(faulted.text().get(STEPS - 1)).as("the text branch trained on").isNotEqualTo(faulted.text().get(at));
        for (int s = 0; s < STEPS; s++) {
            assertThat(allFinite(faulted.text().get(s))).as("text after step %d is finite", s + 1).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldComputeAgainAFiniteUpdateFarLargerThanAnyBeforeAndTakeItOnlyWhenConfirmed(Kind kind) {
        List<Example> examples = SyntheticData.examples(60, 4);
        Trace clean = run(examples, kind.options, TrainingRun.Fault.NONE, false);

        // garbage that is finite (a faulty kernel returned some 10¹⁰ to 10³⁶ off; 10⁵ here, whose squares do not overflow):
        // computed again, the step is right
        Trace garbage = run(examples, kind.options, (step, attempt) -> step == FAULTY_STEP && attempt == 1 ? 1e5f : 1f, false);
        for (int s = 0; s < STEPS; s++) {
            assertThat(garbage.text().get(s)).as("text after step %d", s + 1).isEqualTo(clean.text().get(s));
        }
        // a spike that every computation agrees on is the data's, not a fault: it is taken
        Trace spike = run(examples, kind.options, (step, attempt) -> step == FAULTY_STEP ? 1e5f : 1f, false);
        int at = (int) FAULTY_STEP - 1;
        assertThat(spike.text().get(at - 1)).isEqualTo(clean.text().get(at - 1));
        assertThat(spike.text().get(at)).as("the confirmed update was taken").isNotEqualTo(clean.text().get(at))
                .isNotEqualTo(spike.text().get(at - 1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldCatchAPlausibleWrongUpdateWhenEveryStepIsVerified(Kind kind) {
        List<Example> examples = SyntheticData.examples(60, 4);
        Trace clean = run(examples, kind.options, TrainingRun.Fault.NONE, false);
        // wrong by half: no size check can tell; two computations that disagree can
        TrainingRun.Fault plausible = (step, attempt) -> step == FAULTY_STEP && attempt == 1 ? 1.5f : 1f;

        assertThat(run(examples, kind.options, plausible, false).text().get((int) FAULTY_STEP - 1))
                .as("unverified, the wrong update goes through").isNotEqualTo(clean.text().get((int) FAULTY_STEP - 1));
        Trace verified = run(examples, kind.options, plausible, true);
        for (int s = 0; s < STEPS; s++) {
            assertThat(verified.text().get(s)).as("verified: text after step %d", s + 1).isEqualTo(clean.text().get(s));
            assertThat(verified.image().get(s)).as("verified: image after step %d", s + 1).isEqualTo(clean.image().get(s));
        }
    }

    /**
     * {@link #STEPS} steps of a run, as {@link MultimodalTrainer} runs them, with the fault injected;
     * the run is repeated until two repetitions agree bit for bit. The kernel fault these tests inject
     * also happens for real, rarely (one fine-tuning step in tens of thousands with copied adapters,
     * docs/results.md): a test run that met it would compare that fault, not the one injected. A run
     * that is not reproducible at all still fails.
     */
    private static Trace run(List<Example> examples, TrainingOptions options, TrainingRun.Fault fault, boolean verify) {
        List<Trace> runs = new ArrayList<>();
        for (int repetition = 0; repetition < 4; repetition++) {
            Trace trace = runOnce(examples, options, fault, verify);
            for (Trace earlier : runs) {
                if (same(trace, earlier)) {
                    return trace;
                }
            }
            runs.add(trace);
        }
        throw new AssertionError("no two of " + runs.size() + " repetitions of the same run agreed");
    }

    private static boolean same(Trace a, Trace b) {
        for (int s = 0; s < STEPS; s++) {
            if (!Arrays.equals(a.text().get(s), b.text().get(s)) || !Arrays.equals(a.image().get(s), b.image().get(s))) {
                return false;
            }
        }
        return a.losses().equals(b.losses());
    }

    private static Trace runOnce(List<Example> examples, TrainingOptions options, TrainingRun.Fault fault, boolean verify) {
        if (options.fineTuning() != null) {
            options = options.withTextLayers(options.fineTuning().layers());
        }
        List<TrainingItem> items = TrainingItem.all(examples, true, true, options.textLayers());
        List<TrainingItem> train = TrainingItem.split(items, Example.Split.TRAIN);
        Trace trace = new Trace(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (NDManager manager = NDManager.newBaseManager(Devices.preferred(), Devices.ENGINE)) {
            // the same secret in every run, so a private run draws the same samples and noise
            TrainingState state = TrainingState.fresh(manager, options, LABELS.size(), true, true, new Random(5),
                    MultimodalTrainer.startsFromLabels(options) ? MiniLm.shared().encode(LABELS) : null);
            TrainingRun run = new TrainingRun(manager, state, options, LABELS.size(), train, fault, verify);
            for (int epoch = 1; trace.text().size() < STEPS; epoch++) {
                for (List<TrainingItem> batch : run.batches(epoch)) {
                    if (trace.text().size() == STEPS) {
                        break;
                    }
                    trace.losses().add(run.step(batch));
                    trace.text().add(TrainingRun.flat(state.textParams));
                    trace.image().add(TrainingRun.flat(state.imageParams));
                }
            }
        }
        return trace;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
