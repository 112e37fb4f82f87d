package dev.braid.common.blob;

import java.io.IOException;

/** The blob store holds nothing under this key. */
public final class BlobNotFoundException extends IOException {

    public BlobNotFoundException(String key) {
        super("no blob under " + key);
    }
}
