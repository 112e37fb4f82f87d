package dev.braid.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import tools.jackson.databind.json.JsonMapper;

/**
 * A trained model as bytes: a ZIP of {@code model.json} (labels, α, each branch's temperature, which branches exist, the
 * network version, the text encoder it was trained on and how many of its layers were fine-tuned) and each branch's
 * parameters as DJL's encoded NDList, a fine-tuned encoder's adapters with the text head's. It is what training stores
 * and inference loads. {@code textEncoder}: {@link MiniLm#NAME}, or, for a model trained before Braid moved to the
 * fp32 encoder, {@link TextEncoder#NAME}, which is still served with the encoder it was trained on.
 */
public record ModelArtifact(List<String> labels, double alpha, double textTemperature, double imageTemperature,
        byte[] textParameters, byte[] imageParameters, String textEncoder) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;

    record Manifest(int version, List<String> labels, double alpha, double textTemperature, double imageTemperature,
            boolean text, boolean image, String textEncoder) {
    }

    /** A model of this build's encoder. */
    public ModelArtifact(List<String> labels, double alpha, double textTemperature, double imageTemperature, byte[] textParameters,
            byte[] imageParameters) {
        this(labels, alpha, textTemperature, imageTemperature, textParameters, imageParameters, MiniLm.NAME);
    }

    public boolean hasText() {
        return textParameters != null;
    }

    public boolean hasImage() {
        return imageParameters != null;
    }

    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        put(zip, "model.json", JSON.writeValueAsBytes(new Manifest(Network.VERSION, labels, alpha, textTemperature,
                imageTemperature, hasText(), hasImage(), textEncoder)));
        if (hasText()) {
            put(zip, "text.params", textParameters);
        }
        if (hasImage()) {
            put(zip, "image.params", imageParameters);
        }
        zip.finish();
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(out);
        return out.toByteArray();
    }

    public static ModelArtifact readFrom(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
                byte[] bytes = zip.readNBytes((int) Math.min(MAX_ENTRY_BYTES, Integer.MAX_VALUE - 8));
                entries.put(entry.getName(), bytes);
            }
        }
        byte[] manifestBytes = entries.get("model.json");
        if (manifestBytes == null) {
            throw new IOException("not a Braid model artifact: model.json is missing");
        }
        Manifest manifest = JSON.readValue(manifestBytes, Manifest.class);
        if (manifest.version() != Network.VERSION) {
            throw new IOException("model artifact version " + manifest.version() + " is not supported (expected "
                    + Network.VERSION + ")");
        }
        String encoder = manifest.textEncoder() == null ? MiniLm.NAME : manifest.textEncoder();
        if (manifest.text() && !MiniLm.NAME.equals(encoder) && !TextEncoder.NAME.equals(encoder)) {
            throw new IOException("the model's text branch was trained on the encoder " + encoder + ", this build has "
                    + MiniLm.NAME + " (and " + TextEncoder.NAME + " for older models)");
        }
        return new ModelArtifact(manifest.labels(), manifest.alpha(), manifest.textTemperature(), manifest.imageTemperature(),
                manifest.text() ? entries.get("text.params") : null,
                manifest.image() ? entries.get("image.params") : null, encoder);
    }

    public static ModelArtifact fromBytes(byte[] bytes) throws IOException {
        return readFrom(new ByteArrayInputStream(bytes));
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
