package dev.braid.dataset.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import dev.braid.dataset.DatasetProperties;

/** Judges one record on its own and says, in words a person understands, what is wrong with it. */
@Component
class RecordValidator {

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

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

    CandidateRecord validate(long line, JsonNode json, Set<String> labels) throws Rejected {
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
        if (json.hasNonNull("image")) {
            throw new Rejected("'image' names a file, which needs a ZIP or multipart upload; NDJSON records carry imageBase64");
        }
        byte[] image = decodeImage(optionalString(json, "imageBase64"));
        if ((text == null || text.isBlank()) && image == null) {
            throw new Rejected("the record has neither text nor an image");
        }
        return new CandidateRecord(line, id, label, text, image);
    }

    private byte[] decodeImage(String base64) throws Rejected {
        if (base64 == null) {
            return null;
        }
        if (base64.length() > limits.maxImageSize().toBytes() * 4 / 3 + 4) {
            throw new Rejected("image is larger than " + limits.maxImageSize().toMegabytes() + " MB");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(WHITESPACE.matcher(base64).replaceAll(""));
        }
        catch (IllegalArgumentException ex) {
            throw new Rejected("imageBase64 is not valid base64");
        }
        if (bytes.length > limits.maxImageSize().toBytes()) {
            throw new Rejected("image is larger than " + limits.maxImageSize().toMegabytes() + " MB");
        }
        if (!isPng(bytes) && !isJpeg(bytes)) {
            throw new Rejected("image is not a PNG or JPEG");
        }
        checkDimensions(bytes);
        return bytes;
    }

    /** Reads only the header: the pixel count is checked before anything is decoded. */
    private void checkDimensions(byte[] bytes) throws Rejected {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new Rejected("image is not a readable PNG or JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > limits.maxImagePixels()) {
                    throw new Rejected("image has " + pixels + " pixels, over the limit of " + limits.maxImagePixels());
                }
            }
            finally {
                reader.dispose();
            }
        }
        catch (IOException ex) {
            throw new Rejected("image is corrupt: its header cannot be read");
        }
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
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

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
