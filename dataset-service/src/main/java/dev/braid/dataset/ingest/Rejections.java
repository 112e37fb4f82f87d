package dev.braid.dataset.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An upload's rejected records as reported: the first {@code limit} by line, and how many there
 * were in all, so a body of a million bad lines costs a bounded report, not a million entries.
 */
final class Rejections {

    private static final Comparator<IngestReport.Rejection> BY_LINE = Comparator.comparingLong(IngestReport.Rejection::line);

    private final int limit;
    /** The kept ones, the latest line on top, so it is the one to drop when an earlier line arrives. */
    private final PriorityQueue<IngestReport.Rejection> kept;
    private long total;

    Rejections(int limit) {
        this.limit = limit;
        this.kept = new PriorityQueue<>(BY_LINE.reversed());
    }

    void add(IngestReport.Rejection rejection) {
        total++;
        kept.add(rejection);
        if (kept.size() > limit) {
            kept.poll();
        }
    }

    long total() {
        return total;
    }

    List<IngestReport.Rejection> firstByLine() {
        List<IngestReport.Rejection> first = new ArrayList<>(kept);
        first.sort(BY_LINE);
        return List.copyOf(first);
    }
}
