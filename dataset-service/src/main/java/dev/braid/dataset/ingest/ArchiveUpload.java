package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.common.image.ImageProbe;
import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;

/**
 * One upload of a manifest plus the files it names (a ZIP's entries, or a multipart body's parts),
 * while it streams. Files are judged by name first: a name that escapes the archive is refused, a
 * repeated one reported, the root {@code manifest.jsonl}/{@code manifest.csv} read. An image after
 * the manifest is paired at once; one before it waits, sealed, in {@link StagedImages}.
 */
final class ArchiveUpload {

    private static final Set<String> MANIFESTS = Set.of("manifest.jsonl", "manifest.csv");

    private final IngestSession session;
    private final NdjsonIngester jsonLines;
    private final RecordValidator validator;
    private final StagedImages staged;
    private final DatasetProperties properties;
    private final UploadMemory.Lease memory;
    // paths are remembered by a 64-bit digest, so a million long names cost 16 MB, not a GB
    private final PathSet seen = new PathSet();
    private final FirstEntries duplicates;
    private final FirstEntries refused;
    private final Map<String, List<RecordValidator.ManifestRecord>> waiting = new HashMap<>();
    private final PathSet stagedPaths = new PathSet();
    private final PathSet used = new PathSet();
    private long pathSetBytes;
    private long stagedCount;
    private long usedStaged;
    private String manifest;
    private long entries;
    private long unreferenced;
    private long imageBytesRead;
    private long imageBytesWritten;

    ArchiveUpload(IngestSession session, NdjsonIngester jsonLines, RecordValidator validator, StagedImages staged,
            DatasetProperties properties, UploadMemory.Lease memory) {
        this.session = session;
        this.jsonLines = jsonLines;
        this.validator = validator;
        this.staged = staged;
        this.properties = properties;
        this.memory = memory;
        this.duplicates = new FirstEntries(properties.maxReportedRejections());
        this.refused = new FirstEntries(properties.maxReportedRejections());
    }

    long entries() {
        return entries;
    }

    /** One file of the upload, by its name in the archive; its content is read to the end. */
    void file(String name, InputStream content) throws IOException {
        entries++;
        if (!ArchivePaths.isSafe(name)) {
            refused.add(RecordValidator.abbreviate(name) + ": the name points outside the archive");
            content.transferTo(OutputStream.nullOutputStream());
            return;
        }
        String path = ArchivePaths.normalize(name);
        boolean first = seen.add(PathSet.digest(path));
        countPathSets();
        if (!first) {
            duplicates.add(path);
            content.transferTo(OutputStream.nullOutputStream());
        }
        else if (MANIFESTS.contains(path)) {
            readManifest(path, content);
        }
        else {
            image(path, content);
        }
    }

    /** Ends the upload: records still waiting for an image are rejected, and the report is written. */
    IngestReport finish() {
        if (manifest == null) {
            throw ApiException.unprocessable("manifest-missing",
                    "The upload has no manifest.jsonl or manifest.csv at its root; nothing from it was kept");
        }
        waiting.values().forEach(records -> records.forEach(r -> session.reject(r.line(), r.id(),
                "image '" + RecordValidator.abbreviate(r.imagePath()) + "' is missing from the archive")));
        return session.finish(new IngestReport.Archive(duplicates.first(), duplicates.count(), refused.first(), refused.count(),
                unreferenced + stagedCount - usedStaged));
    }

    private void readManifest(String name, InputStream content) throws IOException {
        if (manifest != null) {
            refused.add(name + ": the upload already has " + manifest + "; only one manifest is read");
            content.transferTo(OutputStream.nullOutputStream());
            return;
        }
        manifest = name;
        if (name.endsWith(".jsonl")) {
            jsonLines.read(content, session, true, this::record);
            return;
        }
        try {
            new CsvManifest(content, (int) Math.min(Integer.MAX_VALUE - 8, properties.maxRecordLine().toBytes())).read(row -> {
                if (row.problem() != null) {
                    session.reject(row.line(), null, row.problem());
                    return;
                }
                try {
                    record(validator.parse(row.line(), row.record(), session.labels(), true));
                }
                catch (RecordValidator.Rejected ex) {
                    session.reject(row.line(), row.record().path("id").isString() ? row.record().path("id").stringValue() : null,
                            ex.getMessage());
                }
            });
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.unprocessable("manifest-unreadable", ex.getMessage() + "; nothing from the upload was kept");
        }
    }

    /** A manifest record: written now if its image is known, else it waits for the image. */
    private void record(RecordValidator.ManifestRecord record) {
        if (record.imagePath() == null) {
            session.accept(record.withImage(record.inlineImage()));
            return;
        }
        long digest = PathSet.digest(record.imagePath());
        if (stagedPaths.contains(digest)) {
            if (used.add(digest)) {
                usedStaged++;
            }
            countPathSets();
            StagedImages.Staged image = staged.find(session, record.imagePath());
            if (image.reason() != null) {
                session.reject(record.line(), record.id(), image.reason());
            }
            else {
                accept(record, image.image());
            }
            return;
        }
        memory.grow(weight(record), "manifest records whose images come after the manifest in the upload (put the images "
                + "before the manifest, or split the upload)");
        waiting.computeIfAbsent(record.imagePath(), p -> new ArrayList<>()).add(record);
    }

    /**
     * Stores the record with an image of the archive. Each record gets its own sealed copy of the image, so
     * an image named by many records is written many times: what an upload writes of its images is bounded
     * by what it carried of them ({@code maxImageWriteRatio} times, plus {@code imageWriteAllowance}), or one
     * 10 MB image named by a million short lines would ask for terabytes of writes.
     */
    private void accept(RecordValidator.ManifestRecord record, byte[] image) {
        DatasetProperties.Archive limits = properties.archive();
        long allowance = limits.imageWriteAllowance().toBytes();
        if (imageBytesWritten + image.length > (long) limits.maxImageWriteRatio() * imageBytesRead + allowance) {
            throw ArchiveGuard.tooDemanding("the manifest names its images so many times that the upload would write more "
                    + "than " + limits.maxImageWriteRatio() + " times the " + imageBytesRead / 1024 + " KB of images it carries"
                    + " (plus " + allowance / 1024 + " KB): each record stores its own copy of its image");
        }
        imageBytesWritten += image.length;
        session.accept(record.withImage(image));
    }

    /** Charges the memory lease for what the path tables grew by. */
    private void countPathSets() {
        long now = seen.bytes() + stagedPaths.bytes() + used.bytes();
        if (now > pathSetBytes) {
            memory.grow(now - pathSetBytes, "archive paths");
            pathSetBytes = now;
        }
    }

    /** An image file: paired with the records waiting for it, or staged until the manifest arrives. */
    private void image(String path, InputStream content) throws IOException {
        long limit = properties.maxImageSize().toBytes();
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        String reason = null;
        if (bytes.length > limit) {
            content.transferTo(OutputStream.nullOutputStream());
            reason = "image '" + RecordValidator.abbreviate(path) + "' is larger than "
                    + ImageProbe.describe(properties.maxImageSize().toBytes());
            bytes = null;
        }
        else {
            try {
                validator.checkImage(bytes);
            }
            catch (RecordValidator.Rejected ex) {
                reason = ex.getMessage();
            }
        }
        if (reason == null) {
            imageBytesRead += bytes.length;
        }
        if (manifest == null) {
            staged.stage(session, path, reason == null ? bytes : null, reason);
            if (stagedPaths.add(PathSet.digest(path))) {
                stagedCount++;
            }
            countPathSets();
            return;
        }
        List<RecordValidator.ManifestRecord> records = waiting.remove(path);
        if (records == null) {
            unreferenced++;
            return;
        }
        for (RecordValidator.ManifestRecord record : records) {
            memory.shrink(weight(record));
            if (reason != null) {
                session.reject(record.line(), record.id(), reason);
            }
            else {
                accept(record, bytes);
            }
        }
    }

    /**
     * What a waiting record holds in memory, counted as the JVM lays it out (compressed references):
     * the record (40 bytes), each string (24 for the object, 16 for its array, and 2 bytes a character
     * at most), its share of the path's list (24 + 56, counted for every record: an over-count only
     * for a path named twice) and of the map's entry and table (48).
     */
    static long weight(RecordValidator.ManifestRecord record) {
        return 40 + 80 + 48 + string(record.id()) + string(record.label()) + string(record.text()) + string(record.imagePath());
    }

    private static long string(String s) {
        return s == null ? 0 : 40 + ((2L * s.length() + 7) & ~7L);
    }

    /** The first entries of a kind, for the report, and how many there were in all. */
    private static final class FirstEntries {

        private final int limit;
        private final List<String> first = new ArrayList<>();
        private long count;

        FirstEntries(int limit) {
            this.limit = limit;
        }

        void add(String entry) {
            count++;
            if (first.size() < limit) {
                first.add(entry);
            }
        }

        List<String> first() {
            return List.copyOf(first);
        }

        long count() {
            return count;
        }
    }
}
