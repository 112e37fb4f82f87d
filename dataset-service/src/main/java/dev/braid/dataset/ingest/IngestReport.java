package dev.braid.dataset.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What an upload did: records stored, records that were already there, rejected records with
 * their reasons (the first ones by line; {@code rejectedCount} says how many in all), and for
 * archives what was wrong with the archive's entries (the first ones, and their counts).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestReport(long accepted, long duplicates, List<Rejection> rejected, long rejectedCount, Archive archive) {

    /** A record that was not stored: its line (1-based), its external id when it had one, and why. */
    @Schema(name = "RejectedRecord")
    public record Rejection(long line, String id, String reason) {
    }

    /** Archive entries that were refused or that appeared more than once (only the first is used). */
    @Schema(name = "ArchiveReport")
    public record Archive(List<String> duplicateEntries, long duplicateEntryCount, List<String> refusedEntries,
            long refusedEntryCount, long unreferencedImages) {
    }
}
