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

/** Artifacts name the encoder their text head was fitted to and the version of their networks, and are served with both. */
class ModelArtifactTests {

    private static final List<String> LABELS = SyntheticData.LABELS;

    @Test
    void shouldServeAModelOfTheQuantisedEncoderWithTheEmbeddingsItWasFittedTo() throws Exception {
        ModelArtifact trained = new MultimodalTrainer().train(SyntheticData.examples(60, 3), LABELS,
                new TrainingOptions(2, 16, 0.01, 0.001, 0, 3, null, true, false), TrainingListener.NONE).artifact();
        assertThat(trained.textEncoder()).isEqualTo(MiniLm.NAME);
        ModelArtifact older = ModelArtifact.fromBytes(new ModelArtifact(trained.labels(), trained.alpha(), trained.textTemperature(),
                trained.imageTemperature(), trained.textParameters(), null, TextEncoder.NAME, Network.OLDEST_VERSION).toBytes());
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
    void shouldServeAVersion3ImageNetworkWithoutGroupNormalisationAndRefuseParametersOfAnotherVersion() throws Exception {
        ModelArtifact trained = new MultimodalTrainer().train(SyntheticData.examples(60, 5), LABELS,
                new TrainingOptions(2, 16, 0.01, 0.001, 0, 5, null, false, true), TrainingListener.NONE).artifact();
        assertThat(trained.version()).isEqualTo(Network.VERSION);
        java.awt.image.BufferedImage image = SyntheticData.examples(1, 11).get(0).image();
        try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
            NDList current = NDList.decode(manager, trained.imageParameters());
            assertThat(current).hasSize(Network.shapes(Network.Kind.IMAGE, LABELS.size(), 0).size());
            // a version 3 network: the same convolutions and classifier, no normalisation
            NDList unnormalised = new NDList(current.subList(0, Network.shapes(Network.Kind.IMAGE, LABELS.size(), 0, 3).size()));
            float[] logits = Network.forward(Network.Kind.IMAGE, Network.imageBatch(manager, List.of(ImageFeatures.rgb(image)), null),
                    unnormalised, false).toFloatArray();
            float[] normalisedLogits = Network.forward(Network.Kind.IMAGE, Network.imageBatch(manager,
                    List.of(ImageFeatures.rgb(image)), null), current, false).toFloatArray();
            assertThat(logits).isNotEqualTo(normalisedLogits);
            double[] expected = new double[LABELS.size()];
            double sum = 0;
            for (int c = 0; c < expected.length; c++) {
                expected[c] = Math.exp(logits[c] / trained.imageTemperature());
                sum += expected[c];
            }
            ModelArtifact older = ModelArtifact.fromBytes(new ModelArtifact(trained.labels(), trained.alpha(), trained.textTemperature(),
                    trained.imageTemperature(), null, unnormalised.encode(), MiniLm.NAME, 3).toBytes());
            assertThat(older.version()).isEqualTo(3);
            try (FusedClassifier classifier = FusedClassifier.load(older)) {
                Prediction p = classifier.predict(List.of(new FusedClassifier.Input(null, image))).get(0);
                for (int c = 0; c < expected.length; c++) {
                    assertThat(p.image().probabilities().get(LABELS.get(c))).isCloseTo(expected[c] / sum,
                            org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            // parameters of one version under the other's number are refused, not misread
            ModelArtifact mislabelled = ModelArtifact.fromBytes(new ModelArtifact(trained.labels(), trained.alpha(),
                    trained.textTemperature(), trained.imageTemperature(), null, trained.imageParameters(), MiniLm.NAME, 3).toBytes());
            assertThatThrownBy(() -> FusedClassifier.load(mislabelled)).isInstanceOf(IOException.class)
                    .hasMessageContaining("do not fit");
            ModelArtifact unnormalisedAsCurrent = ModelArtifact.fromBytes(new ModelArtifact(trained.labels(), trained.alpha(),
                    trained.textTemperature(), trained.imageTemperature(), null, unnormalised.encode()).toBytes());
            assertThatThrownBy(() -> FusedClassifier.load(unnormalisedAsCurrent)).isInstanceOf(IOException.class)
                    .hasMessageContaining("do not fit");
        }
    }

    @Test
    void shouldRefuseAModelOfANetworkVersionThisBuildDoesNotRead() throws IOException {
        for (int version : new int[] {Network.OLDEST_VERSION - 1, Network.VERSION + 1}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("model.json"));
                zip.write(("{\"version\":" + version + ",\"labels\":[\"a\",\"b\"],\"alpha\":0.5,\"textTemperature\":1,"
                        + "\"imageTemperature\":1,\"text\":false,\"image\":true}").getBytes());
                zip.closeEntry();
            }
            assertThatThrownBy(() -> ModelArtifact.fromBytes(bytes.toByteArray())).isInstanceOf(IOException.class)
                    .hasMessageContaining("version " + version + " is not supported");
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
