package dev.braid.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The float weights of an ONNX model, read from its protobuf: every initializer of the graph by
 * name, and, for an initializer that only a {@code MatMul} node reads (PyTorch's exporter names
 * those {@code onnx::MatMul_787}), also by that node's name, so that
 * {@code /encoder/layer.0/attention/self/query/MatMul} finds its weight. Only what weights need
 * is decoded: the protobuf wire format's varints and length-delimited fields, the
 * {@code ModelProto.graph}, {@code GraphProto.node} and {@code .initializer}, {@code NodeProto}'s
 * inputs, name and op type, and {@code TensorProto}'s dims, data type, name and raw or float data.
 */
final class OnnxWeights {

    /** A tensor: its shape and its values in row-major order. */
    record Tensor(long[] dims, float[] values) {
    }

    private static final int FLOAT = 1;

    private final Map<String, Tensor> byName;

    private OnnxWeights(Map<String, Tensor> byName) {
        this.byName = byName;
    }

    static OnnxWeights read(byte[] model) throws IOException {
        Reader modelProto = new Reader(ByteBuffer.wrap(model));
        ByteBuffer graph = null;
        while (modelProto.more()) {
            int field = modelProto.tag();
            if (field == 7) {
                graph = modelProto.bytes();
            }
            else {
                modelProto.skip();
            }
        }
        if (graph == null) {
            throw new IOException("the ONNX model has no graph");
        }
        Map<String, Tensor> tensors = new HashMap<>();
        Map<String, String> matMulReaders = new HashMap<>();
        Reader g = new Reader(graph);
        while (g.more()) {
            int field = g.tag();
            if (field == 5) {
                readTensor(g.bytes(), tensors);
            }
            else if (field == 1) {
                readMatMul(g.bytes(), matMulReaders);
            }
            else {
                g.skip();
            }
        }
        Map<String, Tensor> byName = new HashMap<>(tensors);
        matMulReaders.forEach((initializer, node) -> {
            Tensor t = tensors.get(initializer);
            if (t != null) {
                byName.put(node, t);
            }
        });
        return new OnnxWeights(byName);
    }

    /** The named tensor, checked against the shape the caller expects. */
    Tensor get(String name, long... dims) throws IOException {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IOException("the ONNX model has no weight " + name);
        }
        if (!java.util.Arrays.equals(t.dims(), dims)) {
            throw new IOException("the ONNX weight " + name + " has shape " + java.util.Arrays.toString(t.dims()) + ", not "
                    + java.util.Arrays.toString(dims));
        }
        return t;
    }

    private static void readTensor(ByteBuffer bytes, Map<String, Tensor> out) throws IOException {
        Reader r = new Reader(bytes);
        List<Long> dims = new ArrayList<>();
        long type = 0;
        String name = null;
        ByteBuffer raw = null;
        List<Float> floats = new ArrayList<>();
        while (r.more()) {
            int field = r.tag();
            switch (field) {
                case 1 -> r.repeatedVarints(dims);
                case 2 -> type = r.varint();
                case 4 -> r.repeatedFloats(floats);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                default -> r.skip();
            }
        }
        if (type != FLOAT || name == null) {
            return;
        }
        long count = dims.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        float[] values = new float[Math.toIntExact(count)];
        if (raw != null) {
            if (raw.remaining() != count * Float.BYTES) {
                throw new IOException("the ONNX weight " + name + " holds " + raw.remaining() + " bytes for " + count + " floats");
            }
            raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        }
        else {
            if (floats.size() != count) {
                throw new IOException("the ONNX weight " + name + " holds " + floats.size() + " floats for " + count);
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = floats.get(i);
            }
        }
        out.put(name, new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), values));
    }

    private static void readMatMul(ByteBuffer bytes, Map<String, String> out) throws IOException {
        Reader r = new Reader(bytes);
        List<String> inputs = new ArrayList<>();
        String name = null;
        String op = null;
        while (r.more()) {
            int field = r.tag();
            switch (field) {
                case 1 -> inputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                default -> r.skip();
            }
        }
        if ("MatMul".equals(op) && name != null && inputs.size() == 2) {
            out.put(inputs.get(1), name);
        }
    }

    /** The protobuf wire format, as far as {@link OnnxWeights} needs it. */
    private static final class Reader {

        private final ByteBuffer in;
        private int wireType;

        Reader(ByteBuffer in) {
            this.in = in.slice();
        }

        boolean more() {
            return in.hasRemaining();
        }

        int tag() throws IOException {
            long key = varint();
            wireType = (int) (key & 7);
            return (int) (key >>> 3);
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!in.hasRemaining()) {
                    throw new IOException("the ONNX file ends inside a number");
                }
                byte b = in.get();
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IOException("the ONNX file holds a malformed number");
        }

        ByteBuffer bytes() throws IOException {
            long length = varint();
            if (length < 0 || length > in.remaining()) {
                throw new IOException("the ONNX file ends inside a field of " + length + " bytes");
            }
            ByteBuffer slice = in.slice().limit((int) length);
            in.position(in.position() + (int) length);
            return slice;
        }

        String string() throws IOException {
            ByteBuffer b = bytes();
            byte[] chars = new byte[b.remaining()];
            b.get(chars);
            return new String(chars, StandardCharsets.UTF_8);
        }

        void repeatedVarints(List<Long> out) throws IOException {
            if (wireType == 2) {
                Reader packed = new Reader(bytes());
                while (packed.more()) {
                    out.add(packed.varint());
                }
            }
            else {
                out.add(varint());
            }
        }

        void repeatedFloats(List<Float> out) throws IOException {
            if (wireType == 2) {
                ByteBuffer packed = bytes().order(ByteOrder.LITTLE_ENDIAN);
                while (packed.remaining() >= Float.BYTES) {
                    out.add(packed.getFloat());
                }
            }
            else {
                out.add(in.order(ByteOrder.LITTLE_ENDIAN).getFloat());
            }
        }

        void skip() throws IOException {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> bytes();
                case 5 -> advance(4);
                default -> throw new IOException("the ONNX file holds an unknown wire type " + wireType);
            }
        }

        private void advance(int n) throws IOException {
            if (in.remaining() < n) {
                throw new IOException("the ONNX file ends inside a field");
            }
            in.position(in.position() + n);
        }
    }
}
