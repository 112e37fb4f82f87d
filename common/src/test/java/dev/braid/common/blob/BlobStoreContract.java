package dev.braid.common.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} must do, whatever keeps the bytes: each store's tests extend this with a store of
 * their own kind, so the file-system and the S3 store are held to the same behaviour.
 */
abstract class BlobStoreContract {

    /** Larger than one S3 part, so that a store that writes in parts writes several. */
    static final int LARGE = S3BlobStore.PART_SIZE * 2 + 12_345;

    /** A fresh, empty store. */
    abstract BlobStore store() throws IOException;

    @Test
    void shouldStoreReadAndDeleteByPrefix() throws IOException {
        BlobStore store = store();
        store.put("models/acme/m1/model.zip", new byte[] {1, 2, 3});
        store.put("models/acme/m1/extra/notes", new byte[] {4});

        assertThat(read(store, "models/acme/m1/model.zip")).containsExactly(1, 2, 3);
        assertThat(store.exists("models/acme/m1/model.zip")).isTrue();
        assertThat(store.delete("models/acme/m1")).isTrue();
        assertThat(store.exists("models/acme/m1/model.zip")).isFalse();
        assertThat(store.exists("models/acme/m1/extra/notes")).isFalse();
        assertThatThrownBy(() -> store.open("models/acme/m1/model.zip")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void shouldDeleteOnlyWhatIsUnderTheKeyNotKeysThatShareItsLetters() throws IOException {
        BlobStore store = store();
        store.put("models/a/model.zip", new byte[] {1});
        store.put("models/ab/model.zip", new byte[] {2});
        store.put("models/a.zip", new byte[] {3});

        assertThat(store.delete("models/a")).isTrue();

        assertThat(store.exists("models/a/model.zip")).isFalse();
        assertThat(read(store, "models/ab/model.zip")).containsExactly(2);
        assertThat(read(store, "models/a.zip")).containsExactly(3);
    }

    @Test
    void shouldDeleteASingleObjectAndSayWhenThereWasNothing() throws IOException {
        BlobStore store = store();
        store.put("records/r1", new byte[] {9});

        assertThat(store.delete("records/r1")).isTrue();
        assertThat(store.exists("records/r1")).isFalse();
        assertThat(store.delete("records/r1")).isFalse();
        assertThat(store.delete("records/never-written")).isFalse();
    }

    @Test
    void shouldReplaceAnObjectWholeWhenWrittenAgain() throws IOException {
        BlobStore store = store();
        store.put("records/r1", new byte[] {1, 2, 3, 4, 5});
        store.put("records/r1", new byte[] {6});

        assertThat(read(store, "records/r1")).containsExactly(6);
    }

    @Test
    void shouldKeepEmptyAndLargeObjectsByteForByte() throws IOException {
        BlobStore store = store();
        byte[] large = new byte[LARGE];
        new Random(42).nextBytes(large);

        store.put("records/empty", new byte[0]);
        store.put("records/large-from-stream", new ByteArrayInputStream(large));
        store.put("records/large-from-bytes", large);

        assertThat(read(store, "records/empty")).isEmpty();
        assertThat(read(store, "records/large-from-stream")).isEqualTo(large);
        assertThat(read(store, "records/large-from-bytes")).isEqualTo(large);
    }

    @Test
    void shouldKeepAnObjectOfExactlyOnePart() throws IOException {
        BlobStore store = store();
        byte[] onePart = new byte[S3BlobStore.PART_SIZE];
        new Random(7).nextBytes(onePart);

        store.put("records/one-part", new ByteArrayInputStream(onePart));

        assertThat(read(store, "records/one-part")).isEqualTo(onePart);
    }

    @Test
    void shouldSayWhenNothingIsThere() throws IOException {
        BlobStore store = store();

        assertThat(store.exists("models/none")).isFalse();
        assertThatThrownBy(() -> store.open("models/none")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void shouldRefuseKeysThatAreNotPlainRelativePaths() throws IOException {
        BlobStore store = store();

        for (String key : new String[] {"../outside.txt", "/etc/passwd", "a/../../outside.txt", "a//b", "", ".hidden",
                "a/./b", "a\\b", "a b", "%2e%2e/x", "a/"}) {
            assertThatThrownBy(() -> store.open(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldLeaveNoObjectWhenASmallWriteFails() throws IOException {
        BlobStore store = store();

        assertThatThrownBy(() -> store.put("records/r1", failingAfter(100))).isInstanceOf(IOException.class);

        assertThat(store.exists("records/r1")).isFalse();
        assertNothingLeftBehind(store);
    }

    @Test
    void shouldLeaveNoObjectWhenAWriteFailsAfterSeveralParts() throws IOException {
        BlobStore store = store();

        assertThatThrownBy(() -> store.put("records/r2", failingAfter(LARGE))).isInstanceOf(IOException.class);

        assertThat(store.exists("records/r2")).isFalse();
        assertNothingLeftBehind(store);
    }

    @Test
    void shouldKeepThePreviousObjectWhenItsReplacementFails() throws IOException {
        BlobStore store = store();
        store.put("records/r3", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> store.put("records/r3", failingAfter(LARGE))).isInstanceOf(IOException.class);

        assertThat(read(store, "records/r3")).containsExactly(1, 2, 3);
    }

    /** The store's own check that a failed write left nothing half-written (temporary files, pending uploads). */
    abstract void assertNothingLeftBehind(BlobStore store) throws IOException;

    static byte[] read(BlobStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    /** Serves {@code bytes} bytes, then fails, as a client that goes away mid-upload. */
    static InputStream failingAfter(int bytes) {
        return new SequenceInputStream(new ByteArrayInputStream(new byte[bytes]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        });
    }
}
