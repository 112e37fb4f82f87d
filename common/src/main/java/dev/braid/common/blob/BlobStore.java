package dev.braid.common.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Where services keep large immutable objects (model artifacts, record blobs). Keys are relative
 * paths of plain segments; a write is atomic: readers see the whole object or none.
 */
public interface BlobStore {

    Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    void put(String key, InputStream content) throws IOException;

    default void put(String key, byte[] content) throws IOException {
        put(key, new java.io.ByteArrayInputStream(content));
    }

    InputStream open(String key) throws IOException;

    boolean exists(String key);

    /** Deletes the object, or every object under the key when it names a prefix; true when something was removed. */
    boolean delete(String key) throws IOException;

    static String checkKey(String key) {
        if (key == null || key.length() > 512 || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return key;
    }
}
