package dev.braid.dataset.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.braid.common.blob.BlobNotFoundException;
import dev.braid.common.blob.BlobStore;
import dev.braid.common.problem.ServiceUnavailable;

/**
 * The dataset service's part of the blob store. Every key lies under {@code records/<dataset>/}: the sealed image
 * of a record under its upload's prefix, {@code records/<dataset>/<upload>/<record>}, and an image an archive
 * carried before its manifest under {@code records/<dataset>/<upload>/staged/}. An upload's row is committed before
 * its first blob is written, so an upload that never finished is found by its row and cleaned up by its prefix.
 */
@Component
public class RecordBlobs {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecordBlobs.class);

    private final BlobStore store;

    public RecordBlobs(BlobStore store) {
        this.store = store;
    }

    /** Everything of the dataset. */
    public static String datasetPrefix(UUID datasetId) {
        return "records/" + datasetId;
    }

    /** Everything one upload wrote. */
    public static String uploadPrefix(UUID datasetId, UUID uploadId) {
        return datasetPrefix(datasetId) + "/" + uploadId;
    }

    public static String recordKey(UUID datasetId, UUID uploadId, UUID recordId) {
        return uploadPrefix(datasetId, uploadId) + "/" + recordId;
    }

    /** Images the archive carried before its manifest. */
    public static String stagedPrefix(UUID datasetId, UUID uploadId) {
        return uploadPrefix(datasetId, uploadId) + "/staged";
    }

    /** One of them, by a digest of its path in the archive. */
    public static String stagedKey(UUID datasetId, UUID uploadId, String pathDigest) {
        return stagedPrefix(datasetId, uploadId) + "/" + pathDigest;
    }

    /** Where an image written before images left the database is moved to. */
    public static String movedKey(UUID datasetId, UUID recordId) {
        return datasetPrefix(datasetId) + "/moved/" + recordId;
    }

    /** Stores the sealed bytes; a store that fails is a 503 for the request. */
    public void put(String key, byte[] sealed) {
        try {
            store.put(key, sealed);
        }
        catch (IOException ex) {
            throw unavailable("write", key, ex);
        }
    }

    /** The sealed bytes; a key its row names but the store lacks is a fault, not something to retry. */
    public byte[] read(String key) {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
        catch (BlobNotFoundException ex) {
            throw new IllegalStateException("the blob store has no " + key + ", which a record names", ex);
        }
        catch (IOException ex) {
            throw unavailable("read", key, ex);
        }
    }

    /** Deletes the object, or everything under a prefix; nothing there is not an error. */
    public void delete(String keyOrPrefix) {
        try {
            store.delete(keyOrPrefix);
        }
        catch (IOException ex) {
            throw unavailable("delete", keyOrPrefix, ex);
        }
    }

    private static ServiceUnavailable unavailable(String what, String key, IOException ex) {
        log.warn("Blob store failed to {} {}: {}", what, key, ex.toString());
        return ServiceUnavailable.of("blob store");
    }
}
