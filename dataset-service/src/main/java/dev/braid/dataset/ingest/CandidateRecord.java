package dev.braid.dataset.ingest;

import java.nio.ByteBuffer;

/** A record that passed validation, ready to encrypt and store. */
record CandidateRecord(long line, String externalId, String label, String text, byte[] image) {

    /** 80 / 10 / 10 by the record's fingerprint, so a record always lands in the same split, whoever uploads it and when. */
    static String splitOf(byte[] fingerprint) {
        long bucket = Integer.toUnsignedLong(ByteBuffer.wrap(fingerprint, 0, 4).getInt()) % 100;
        return bucket < 80 ? "train" : bucket < 90 ? "validation" : "test";
    }
}
