package dev.braid.launcher.cli;

import java.io.PrintWriter;

/** One line redrawn in place on the error stream (so stdout stays clean for results): a bar, a count, a note. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private int lastLength;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    void show(double fraction, String count, String note) {
        double clamped = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(clamped * WIDTH);
        String line = label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + count + (note.isEmpty() ? "" : "  " + note);
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    void done() {
        err.println();
        err.flush();
    }
}
