package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
    // paths are remembered by a 128-bit digest, so a million long names cost tens of MB, not a GB
    private final Set<PathDigest> seen = new HashSet<>();
    private final FirstEntries duplicates;
    private final FirstEntries refused;
    private final Map<String, List<RecordValidator.ManifestRecord>> waiting = new HashMap<>();
    private long waitingBytes;
    private final Set<PathDigest> stagedPaths = new HashSet<>();
    private final Set<PathDigest> used = new HashSet<>();
    private String manifest;
    private long entries;
    private long unreferenced;

    ArchiveUpload(IngestSession session, NdjsonIngester jsonLines, RecordValidator validator, StagedImages staged,
            DatasetProperties properties) {
        this.session = session;
        this.jsonLines = jsonLines;
        this.validator = validator;
        this.staged = staged;
        this.properties = properties;
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
            refused.add(name + ": the name points outside the archive");
            content.transferTo(OutputStream.nullOutputStream());
            return;
        }
        String path = ArchivePaths.normalize(name);
        if (!seen.add(PathDigest.of(path))) {
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
        long unusedStaged = stagedPaths.stream().filter(p -> !used.contains(p)).count();
        return session.finish(new IngestReport.Archive(duplicates.first(), duplicates.count(), refused.first(), refused.count(),
                unreferenced + unusedStaged));
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
        PathDigest digest = PathDigest.of(record.imagePath());
        if (stagedPaths.contains(digest)) {
            used.add(digest);
            StagedImages.Staged image = staged.find(session, record.imagePath());
            if (image.reason() != null) {
                session.reject(record.line(), record.id(), image.reason());
            }
            else {
                session.accept(record.withImage(image.image()));
            }
            return;
        }
        waitingBytes += weight(record);
        if (waitingBytes > properties.archive().maxWaiting().toBytes()) {
            throw ArchiveGuard.tooLarge("the manifest names more than " + properties.archive().maxWaiting().toMegabytes()
                    + " MB of records whose images come after it in the upload; put the images before the manifest, or split it");
        }
        waiting.computeIfAbsent(record.imagePath(), p -> new ArrayList<>()).add(record);
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
        if (manifest == null) {
            staged.stage(session, path, reason == null ? bytes : null, reason);
            stagedPaths.add(PathDigest.of(path));
            return;
        }
        List<RecordValidator.ManifestRecord> records = waiting.remove(path);
        if (records != null) {
            waitingBytes -= records.stream().mapToLong(ArchiveUpload::weight).sum();
        }
        if (records == null) {
            unreferenced++;
            return;
        }
        for (RecordValidator.ManifestRecord record : records) {
            if (reason != null) {
                session.reject(record.line(), record.id(), reason);
            }
            else {
                session.accept(record.withImage(bytes));
            }
        }
    }

    /** About what a waiting record holds in memory: its strings as UTF-16, plus object overhead. */
    private static long weight(RecordValidator.ManifestRecord record) {
        return 64 + 2L * (record.imagePath().length() + (record.text() == null ? 0 : record.text().length())
                + (record.id() == null ? 0 : record.id().length()));
    }

    /** A path as remembered: the first 128 bits of its SHA-256. */
    private record PathDigest(long high, long low) {

        static PathDigest of(String path) {
            java.nio.ByteBuffer digest = java.nio.ByteBuffer.wrap(ArchivePaths.digest(path));
            return new PathDigest(digest.getLong(), digest.getLong());
        }
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
