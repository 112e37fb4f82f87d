package dev.braid.dataset.ingest;

import java.util.List;

/** What an upload did: records stored, records that were already there, and each rejected record with its reason. */
public record IngestReport(long accepted, long duplicates, List<Rejection> rejected) {

    /** A record that was not stored: its line (1-based), its external id when it had one, and why. */
    public record Rejection(long line, String id, String reason) {
    }
}
