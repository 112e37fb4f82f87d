package dev.braid.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * A training run's state after a whole epoch: both branches' parameters and Adam moments (as DJL's
 * encoded NDList), under early stopping each branch's best epoch and its weights then, every epoch's
 * summary so far, the epoch and step reached, the steps run under DP-SGD (the privacy spent so
 * far) and, for a private run, its secret generator key, which with the step count is the run's
 * whole RNG state (see {@link StepRandom}). Plain bytes, for the caller to encrypt and store.
 */
public record Checkpoint(Header header, byte[] arrays) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAGIC = 0x42524331; // "BRC1"

    /**
     * What the arrays mean, and where the run stood. {@code privateSteps} counts DP-SGD steps
     * taken, the figure the privacy ledger is charged for. {@code textLayers}: the encoder layers
     * whose adapters the text parameters carry (0: a frozen encoder, and a checkpoint from before
     * fine-tuning existed).
     */
    public record Header(int version, int epoch, long step, long privateSteps, List<String> labels, boolean text, boolean image,
            byte[] secret, List<EpochSummary> curve, BranchBest textBest, BranchBest imageBest, int textLayers) {
    }

    public int epoch() {
        return header.epoch();
    }

    public long step() {
        return header.step();
    }

    public long privateSteps() {
        return header.privateSteps();
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(arrays.length + 512);
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] head = JSON.writeValueAsBytes(header);
            out.writeInt(MAGIC);
            out.writeInt(head.length);
            out.write(head);
            out.writeInt(arrays.length);
            out.write(arrays);
            out.flush();
            return bytes.toByteArray();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static Checkpoint fromBytes(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (bytes.length < 12 || in.readInt() != MAGIC) {
            throw new IOException("not a Braid training checkpoint");
        }
        int headLength = in.readInt();
        if (headLength < 0 || headLength > bytes.length) {
            throw new IOException("checkpoint header is cut short");
        }
        Header header = JSON.readValue(in.readNBytes(headLength), Header.class);
        int arraysLength = in.readInt();
        if (arraysLength < 0 || arraysLength > bytes.length) {
            throw new IOException("checkpoint arrays are cut short");
        }
        byte[] arrays = in.readNBytes(arraysLength);
        if (arrays.length != arraysLength) {
            throw new IOException("checkpoint arrays are cut short");
        }
        if (header.version() != Network.VERSION) {
            throw new IOException("checkpoint of network version " + header.version() + ", this build trains version "
                    + Network.VERSION);
        }
        return new Checkpoint(header, arrays);
    }
}
