package dev.braid.dataset.ingest;

import java.nio.ByteBuffer;

/**
 * Archive paths as one upload remembers them: the first 64 bits of each path's SHA-256 in an
 * open-addressing table of {@code long}s, 8 to 16 bytes a path where a {@code HashSet} of objects
 * took about 80, so a million entries cost a known 16 MB that the upload's memory lease is charged
 * for ({@link #bytes()}). Two paths of an upload share a digest with a chance of about n²/2⁶⁵ (3 in
 * 10⁸ at a million); the later would be taken as a repeat of the earlier, and only the uploader's
 * own archive could be so built.
 */
final class PathSet {

    private long[] slots = new long[64];
    private int size;
    private boolean hasZero;

    /** The digest of a path, as this set keeps it. */
    static long digest(String path) {
        return ByteBuffer.wrap(ArchivePaths.digest(path)).getLong();
    }

    /** Adds the digest; false when it was there already. */
    boolean add(long digest) {
        if (digest == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int i = indexOf(digest, slots);
        if (slots[i] == digest) {
            return false;
        }
        slots[i] = digest;
        size++;
        return true;
    }

    boolean contains(long digest) {
        return digest == 0 ? hasZero : slots[indexOf(digest, slots)] == digest;
    }

    /** The memory the table holds. */
    long bytes() {
        return 16L + 8L * slots.length;
    }

    /** The slot holding the digest, or the empty one where it would go (linear probing; the table is at most half full). */
    private static int indexOf(long digest, long[] table) {
        int mask = table.length - 1;
        int i = (int) (digest ^ (digest >>> 32)) & mask;
        while (table[i] != 0 && table[i] != digest) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long digest : slots) {
            if (digest != 0) {
                bigger[indexOf(digest, bigger)] = digest;
            }
        }
        slots = bigger;
    }
}
