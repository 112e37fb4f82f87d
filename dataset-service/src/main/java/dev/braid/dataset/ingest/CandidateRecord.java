package dev.braid.dataset.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A record that passed validation, ready to store; its hash drives both de-duplication and its split. */
record CandidateRecord(long line, String externalId, String label, String text, byte[] image) {

    /** SHA-256 over label, text and image, each length-prefixed so no two different records collide by concatenation. */
    byte[] contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, label.getBytes(StandardCharsets.UTF_8));
            update(digest, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
            update(digest, image);
            return digest.digest();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void update(MessageDigest digest, byte[] part) {
        digest.update(ByteBuffer.allocate(8).putLong(part == null ? -1 : part.length).array());
        if (part != null) {
            digest.update(part);
        }
    }

    /** 80 / 10 / 10 by the hash, so a record always lands in the same split, whoever uploads it and when. */
    static String splitOf(byte[] hash) {
        long bucket = Integer.toUnsignedLong(ByteBuffer.wrap(hash, 0, 4).getInt()) % 100;
        return bucket < 80 ? "train" : bucket < 90 ? "validation" : "test";
    }
}
