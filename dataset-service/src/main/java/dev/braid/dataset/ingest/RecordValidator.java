package dev.braid.dataset.ingest;

import java.util.Set;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import dev.braid.common.image.ImageProbe;
import dev.braid.dataset.DatasetProperties;

/** Judges one record on its own and says, in words a person understands, what is wrong with it. */
@Component
class RecordValidator {

    private final DatasetProperties limits;

    RecordValidator(DatasetProperties limits) {
        this.limits = limits;
    }

    /** Thrown for a record that cannot be stored; the message is the reason the client sees. */
    static final class Rejected extends Exception {

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A manifest line that passed the checks that need no image: its image is inline, named by path, or absent. */
    record ManifestRecord(long line, String id, String label, String text, String imagePath, byte[] inlineImage) {

        CandidateRecord withImage(byte[] image) {
            return new CandidateRecord(line, id, label, text, image);
        }
    }

    /**
     * Checks a manifest record. {@code imagePaths} says whether the upload can carry image files
     * (ZIP, multipart); NDJSON records carry their image inline as {@code imageBase64}.
     */
    ManifestRecord parse(long line, JsonNode json, Set<String> labels, boolean imagePaths) throws Rejected {
        if (!json.isObject()) {
            throw new Rejected("a record must be a JSON object");
        }
        String id = optionalString(json, "id");
        if (id != null && id.length() > 200) {
            throw new Rejected("id is longer than 200 characters");
        }
        String label = optionalString(json, "label");
        if (label == null) {
            throw new Rejected("label is missing");
        }
        if (!labels.contains(label)) {
            throw new Rejected("label '" + abbreviate(label) + "' is not one of the dataset's labels");
        }
        String text = optionalString(json, "text");
        if (text != null && text.length() > limits.maxTextLength()) {
            throw new Rejected("text is longer than " + limits.maxTextLength() + " characters");
        }
        if (text != null && text.indexOf('\u0000') >= 0) {
            throw new Rejected("text contains a NUL character");
        }
        text = text == null || text.isBlank() ? null : text;
        String path = optionalString(json, "image");
        if (path != null && !imagePaths) {
            throw new Rejected("'image' names a file, which needs a ZIP or multipart upload; NDJSON records carry imageBase64");
        }
        if (path != null && !ArchivePaths.isSafe(path)) {
            throw new Rejected("image path '" + abbreviate(path) + "' points outside the archive");
        }
        if (path != null && json.has("imageBase64") && !json.get("imageBase64").isNull()) {
            throw new Rejected("the record has both 'image' and 'imageBase64'; give one");
        }
        byte[] inline = decodeBase64(optionalString(json, "imageBase64"));
        if (inline != null) {
            checkImage(inline);
        }
        if (text == null && path == null && inline == null) {
            throw new Rejected("the record has neither text nor an image");
        }
        return new ManifestRecord(line, id, label, text, path == null ? null : ArchivePaths.normalize(path), inline);
    }

    /** Size, format and declared pixel count, before anything is decoded. */
    void checkImage(byte[] bytes) throws Rejected {
        if (bytes.length > limits.maxImageSize().toBytes()) {
            throw new Rejected("image is larger than " + ImageProbe.describe(limits.maxImageSize().toBytes()));
        }
        try {
            ImageProbe.check(bytes, limits.maxImagePixels());
        }
        catch (ImageProbe.InvalidImage ex) {
            throw new Rejected(ex.getMessage());
        }
    }

    private byte[] decodeBase64(String base64) throws Rejected {
        if (base64 == null) {
            return null;
        }
        try {
            return ImageProbe.decodeBase64(base64, limits.maxImageSize().toBytes());
        }
        catch (ImageProbe.InvalidImage ex) {
            throw new Rejected(ex.getMessage());
        }
    }

    private static String optionalString(JsonNode json, String field) throws Rejected {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Rejected(field + " must be a string");
        }
        return node.stringValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
