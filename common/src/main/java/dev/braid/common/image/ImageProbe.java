package dev.braid.common.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks image bytes the way every entry point must: PNG or JPEG by magic number, pixel count
 * read from the header before anything is decoded (a small file can declare a huge image), and
 * a decode that fails cleanly on corrupt data. Reasons are worded for the person who sent the image.
 */
public final class ImageProbe {

    private ImageProbe() {
    }

    /** The image cannot be accepted; the message says why. */
    public static final class InvalidImage extends Exception {

        private final boolean tooLarge;

        InvalidImage(String reason, boolean tooLarge) {
            super(reason, null, false, false);
            this.tooLarge = tooLarge;
        }

        /** True when the image is refused for its size rather than its content (HTTP 413 rather than 400). */
        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    /**
     * The bytes of an inline {@code imageBase64}: line breaks and spaces allowed, anything else not
     * base64 refused, and a string too long for the size limit refused before it is decoded.
     */
    public static byte[] decodeBase64(String base64, long maxBytes) throws InvalidImage {
        if (base64.length() > maxBytes * 4 / 3 + 4) {
            throw new InvalidImage("image is larger than " + describe(maxBytes), true);
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(WHITESPACE.matcher(base64).replaceAll(""));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidImage("imageBase64 is not valid base64", false);
        }
        if (bytes.length > maxBytes) {
            throw new InvalidImage("image is larger than " + describe(maxBytes), true);
        }
        return bytes;
    }

    /** A size limit as a person writes it: 10 MB, 64 KB. */
    public static String describe(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " KB";
    }

    /** Checks format and declared size; returns the pixel count. */
    public static long check(byte[] bytes, long maxPixels) throws InvalidImage {
        if (!isPng(bytes) && !isJpeg(bytes)) {
            throw new InvalidImage("image is not a PNG or JPEG", false);
        }
        try (ImageInputStream in = inMemory(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidImage("image is not a readable PNG or JPEG", false);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new InvalidImage("image has " + pixels + " pixels, over the limit of " + maxPixels, true);
                }
                return pixels;
            }
            finally {
                reader.dispose();
            }
        }
        catch (IOException | RuntimeException ex) {
            throw new InvalidImage("image is corrupt: its header cannot be read", false);
        }
    }

    /** Checks, then decodes. */
    public static BufferedImage decode(byte[] bytes, long maxPixels) throws InvalidImage {
        check(bytes, maxPixels);
        return decodeChecked(bytes);
    }

    /** Decodes an image that {@link #check} has already passed, without reading its header again. */
    public static BufferedImage decodeChecked(byte[] bytes) throws InvalidImage {
        try {
            // read(ImageInputStream) closes the stream itself; an in-memory one holds nothing else to release
            BufferedImage image = ImageIO.read(inMemory(bytes));
            if (image == null) {
                throw new InvalidImage("image is corrupt and cannot be decoded", false);
            }
            return image;
        }
        catch (IOException | RuntimeException ex) {
            throw new InvalidImage("image is corrupt and cannot be decoded", false);
        }
    }

    /**
     * The bytes as ImageIO's input, cached in memory. ImageIO's own {@code createImageInputStream} and
     * {@code read(InputStream)} copy a stream into a temporary file by default: a file created and deleted per
     * image, and an image's plaintext on disk before it is encrypted.
     */
    public static ImageInputStream inMemory(byte[] bytes) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }

    static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }
}
