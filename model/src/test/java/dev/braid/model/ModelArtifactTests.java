package dev.braid.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Artifacts name the encoder their text head was fitted to, and are served with it. */
class ModelArtifactTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    @Test
    void shouldServeAModelOfTheQuantisedEncoderWithTheEmbeddingsItWasFittedTo() throws Exception {
        ModelArtifact trained = new MultimodalTrainer().train(SyntheticData.examples(60, 3), LABELS,
                new TrainingOptions(2, 16, 0.01, 0.001, 0, 3, null, true, false), TrainingListener.NONE).artifact();
        assertThat(trained.textEncoder()).isEqualTo(MiniLm.NAME);
        ModelArtifact older = ModelArtifact.fromBytes(new ModelArtifact(trained.labels(), trained.alpha(), trained.textTemperature(),
                trained.imageTemperature(), trained.textParameters(), null, TextEncoder.NAME).toBytes());
        assertThat(older.textEncoder()).isEqualTo(TextEncoder.NAME);
        String text = "please beta again";

        double[] expected = new double[LABELS.size()];
        float[] embedding = TextEncoder.shared().encode(List.of(text))[0];
        try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
            NDList head = NDList.decode(manager, trained.textParameters());
            float[] w = head.get(0).toFloatArray();
            float[] b = head.get(1).toFloatArray();
            double sum = 0;
            for (int c = 0; c < expected.length; c++) {
                double logit = b[c];
                for (int d = 0; d < embedding.length; d++) {
                    logit += w[c * embedding.length + d] * embedding[d];
                }
                expected[c] = Math.exp(logit / trained.textTemperature());
                sum += expected[c];
            }
            for (int c = 0; c < expected.length; c++) {
                expected[c] /= sum;
            }
        }
        try (FusedClassifier classifier = FusedClassifier.load(older)) {
            Prediction p = classifier.predict(List.of(new FusedClassifier.Input(text, null))).get(0);
            for (int c = 0; c < expected.length; c++) {
                assertThat(p.text().probabilities().get(LABELS.get(c))).isCloseTo(expected[c], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void shouldRefuseAModelOfAnEncoderThisBuildDoesNotHave() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("model.json"));
            zip.write(("{\"version\":" + Network.VERSION + ",\"labels\":[\"a\",\"b\"],\"alpha\":0.5,\"textTemperature\":1,"
                    + "\"imageTemperature\":1,\"text\":true,\"image\":false,\"textEncoder\":\"bert-base-uncased\"}").getBytes());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("text.params"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }

        assertThatThrownBy(() -> ModelArtifact.fromBytes(bytes.toByteArray())).isInstanceOf(IOException.class)
                .hasMessageContaining("bert-base-uncased").hasMessageContaining(MiniLm.NAME);
    }
}
