package dev.braid.common.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemBlobStoreTests {

    @TempDir
    Path root;

    @Test
    void shouldStoreReadAndDeleteByPrefix() throws IOException {
        BlobStore store = new FileSystemBlobStore(root.resolve("blobs"));
        store.put("models/acme/m1/model.zip", new byte[] {1, 2, 3});

        try (InputStream in = store.open("models/acme/m1/model.zip")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(store.delete("models/acme/m1")).isTrue();
        assertThat(store.exists("models/acme/m1/model.zip")).isFalse();
        assertThatThrownBy(() -> store.open("models/acme/m1/model.zip")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void shouldRefuseKeysThatEscapeTheRoot() throws IOException {
        BlobStore store = new FileSystemBlobStore(root.resolve("blobs"));
        Files.writeString(root.resolve("outside.txt"), "secret");

        for (String key : new String[] {"../outside.txt", "/etc/passwd", "a/../../outside.txt", "a//b", "", ".hidden"}) {
            assertThatThrownBy(() -> store.open(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.readString(root.resolve("outside.txt"))).isEqualTo("secret");
    }

    @Test
    void shouldLeaveNoPartialObjectWhenAWriteFails() throws IOException {
        BlobStore store = new FileSystemBlobStore(root);
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 100) {
                    throw new IOException("client went away");
                }
                return 7;
            }
        };

        assertThatThrownBy(() -> store.put("records/r1", failing)).isInstanceOf(IOException.class);
        assertThat(store.exists("records/r1")).isFalse();
        try (var files = Files.list(root.resolve("records"))) {
            assertThat(files).isEmpty();
        }
    }
}
