package dev.braid.model;

/** Accuracy and macro-averaged F1 of predictions against true labels; both 0 on no examples. */
public record Metrics(double accuracy, double macroF1, int examples) {

    static Metrics of(int[] truth, int[] predicted, int classes) {
        int n = truth.length;
        if (n == 0) {
            return new Metrics(0, 0, 0);
        }
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (truth[i] == predicted[i]) {
                correct++;
                tp[truth[i]]++;
            }
            else {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (tp[c] + fn[c] + fp[c] == 0) {
                continue; // a class absent from both truth and predictions says nothing
            }
            present++;
            f1Sum += 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c]);
        }
        return new Metrics((double) correct / n, present == 0 ? 0 : f1Sum / present, n);
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
