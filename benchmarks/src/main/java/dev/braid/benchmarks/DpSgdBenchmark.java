package dev.braid.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.braid.model.Example;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.SyntheticData;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;

/**
 * DP-SGD's cost, side by side in one run: the same model (MiniLM head + 64×64 CNN), data and
 * expected batch size, trained one way without privacy (shuffled batches) and one way with DP-SGD
 * (Poisson sampling, per-example gradients, clipping, noise). Epoch time is the mean training
 * step time (from one step's end to the next, the first epoch and each epoch's first step left
 * out, so text encoding, warm-up and the validation pass are not counted) times the steps per
 * epoch. Goal: ratio ≤ 3.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.DpSgdBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher [records] [batch] [epochs]}
 */
public final class DpSgdBenchmark {

    private DpSgdBenchmark() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<Example> examples = SyntheticData.examples(records, 1);
        long train = examples.stream().filter(e -> e.split() == Example.Split.TRAIN).count();
        int stepsPerEpoch = (int) Math.ceil((double) train / batch);
        double q = (double) batch / train;

        double plain = epochSeconds(examples, new TrainingOptions(epochs, batch, 1e-3, 7), stepsPerEpoch);
        double dp = epochSeconds(examples, new TrainingOptions(epochs, batch, 1e-3, 7,
                new TrainingOptions.Privacy(1.0, 1.0, q, stepsPerEpoch, 0.5, 0)), stepsPerEpoch);
        System.out.printf(Locale.ROOT, "%d train records, expected batch %d, %d steps per epoch, %d cores%n", train, batch,
                stepsPerEpoch, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "non-private epoch: %.2f s%n", plain);
        System.out.printf(Locale.ROOT, "DP-SGD epoch:      %.2f s%n", dp);
        System.out.printf(Locale.ROOT, "ratio DP / non-private: %.2f (goal <= 3; Opacus reports 2.6-8x)%n", dp / plain);
        System.exit(0);
    }

    /** Mean step time after the first epoch, times the steps of an epoch. */
    private static double epochSeconds(List<Example> examples, TrainingOptions options, int stepsPerEpoch) {
        List<Long> durations = new ArrayList<>();
        new MultimodalTrainer().train(examples, SyntheticData.LABELS, options, new TrainingListener() {
            private long last;
            private int lastEpoch;

            @Override
            public void onStep(int epoch, long step, long steps) {
                long now = System.nanoTime();
                if (epoch > 1 && epoch == lastEpoch) {
                    durations.add(now - last);
                }
                last = now;
                lastEpoch = epoch;
            }
        });
        return durations.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e9 * stepsPerEpoch;
    }
}
