package dev.braid.launcher;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.braid.common.security.Caller;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests built to burn a shared service's CPU or memory, sent through the gateway as a tenant would send them, while
 * another tenant goes on using the platform: the worst accountant requests, archives whose manifests make the dataset
 * service hold or write far more than they carry (two at once, against its 512 MB heap), and images for a model that
 * does not exist.
 */
class AttackTests extends PlatformTest {

    @Test
    void shouldKeepThePrivacyServiceAnsweringOthersWhileEightWorstAccountantRequestsRun() throws Exception {
        // a bystander tenant's data key, which its ingestion, training and serving unwrap through the privacy service (a
        // tenant of this test's own: globex has no data, which other classes rely on)
        String bystanderKey = createKey("bystander", "member");
        String bystanderDataset = gateway.postJson("/api/v1/datasets", bystanderKey, Map.of("name", "bystander", "labels", LABELS))
                .json().path("id").stringValue();
        Http privacy = new Http("http://127.0.0.1:" + platform.port("privacy-service"));
        String service = new InternalTokenCodec(E2ePlatform.INTERNAL_SECRET, Duration.ofMinutes(5))
                .issueForService(new Caller("bystander", Role.MEMBER, "e2e", null, java.time.Instant.now()));
        for (int i = 0; i < 20; i++) {
            assertThat(unwrap(privacy, bystanderDataset, service)).isEqualTo(200);
        }
        List<Map<String, Object>> alongside = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            alongside.add(Map.of("sampleRate", 0.5000088388 + (i + 1) * 1e-9, "noiseMultiplier", 1e5, "steps", 1));
        }
        Map<String, Object> worst = Map.of("targetEpsilon", 1000, "delta", 1e-5, "sampleRate", 0.5000088388, "steps", 1,
                "epsilonTolerance", 1e-6, "alongside", alongside);

        ExecutorService attackers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Http.Response>> attacks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attacks.add(CompletableFuture.supplyAsync(() -> gateway.postJson("/api/v1/privacy/accountant/noise-multiplier",
                        acmeKey, worst), attackers));
            }
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(unwrap(privacy, bystanderDataset, service)).isEqualTo(200);
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            boolean underAttack = attacks.stream().anyMatch(a -> !a.isDone());
            assertThat(gateway.get("/api/v1/datasets/" + bystanderDataset, bystanderKey).status()).as("the bystander goes on")
                    .isEqualTo(200);
            CompletableFuture.allOf(attacks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            assertThat(underAttack).as("the unwraps were timed during the attack").isTrue();
            assertThat(millis.stream().sorted().toList().get(2)).as("median unwrap under attack, ms: " + millis).isLessThan(100);
            for (CompletableFuture<Http.Response> attack : attacks) {
                Http.Response response = attack.get();
                assertThat(response.status()).as(response.body()).isIn(400, 429);
            }
        }
        finally {
            attackers.shutdownNow();
        }
        // what each computation cost, as the privacy service measured it on its accountant's thread
        String scrape = new Http("http://127.0.0.1:" + platform.managementPort("privacy-service")).get("/actuator/prometheus", null)
                .body();
        double max = scrape.lines().filter(l -> l.startsWith("braid_privacy_accountant_cpu_seconds_max"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElseThrow();
        assertThat(max).as("CPU seconds of the costliest accountant computation").isLessThan(2.0);
    }

    @Test
    void shouldRefuseTwoArchivesAtOnceThatWouldFillTheDatasetServicesHeapAndKeepServing() throws Exception {
        String first = datasetWithRecords("waiting-1", 0);
        String second = datasetWithRecords("waiting-2", 0);
        // 250,000 records waiting for images that never come: about 90 MB as held, compressed to under 4 MB
        byte[] archive = manifestFirst(250_000);
        assertThat(archive.length).isLessThan(4 * 1024 * 1024);
        CompletableFuture<Http.Response> one = CompletableFuture.supplyAsync(() ->
                gateway.post("/api/v1/datasets/" + first + "/records", acmeKey, "application/zip", archive));
        CompletableFuture<Http.Response> two = CompletableFuture.supplyAsync(() ->
                gateway.post("/api/v1/datasets/" + second + "/records", acmeKey, "application/zip", archive));
        assertThat(gateway.get("/api/v1/datasets", globexKey).status()).as("another tenant goes on").isEqualTo(200);
        for (Http.Response refused : List.of(one.get(5, TimeUnit.MINUTES), two.get(5, TimeUnit.MINUTES))) {
            assertThat(refused.status()).as(refused.body()).isIn(413, 503);
        }
        assertThat(platform.restarts("dataset-service")).as("the dataset service never ran out of memory").isZero();
        for (String dataset : List.of(first, second)) {
            assertThat(gateway.get("/api/v1/datasets/" + dataset, acmeKey).json().path("recordCount").asLong()).isZero();
        }
        assertThat(datasetWithRecords("after-the-attack", 20)).as("and ingests as before").isNotBlank();
    }

    @Test
    void shouldRefuseAnArchiveThatNamesOneImageAHundredThousandTimes() throws Exception {
        String dataset = datasetWithRecords("amplified", 0);
        BufferedImage noise = new BufferedImage(800, 800, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 800; y++) {
            for (int x = 0; x < 800; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] image = png(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("images/one.png"));
            zip.write(image);
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                lines.append("{\"text\":\"copy ").append(i).append("\",\"image\":\"images/one.png\",\"label\":\"red-alpha\"}\n");
            }
            zip.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.size()).isLessThan(4 * 1024 * 1024);
        // without a bound: 100,000 sealed copies of a 1.9 MB image, 190 GB of writes from a 2.5 MB body
        Http.Response refused = gateway.post("/api/v1/datasets/" + dataset + "/records", acmeKey, "application/zip", out.toByteArray());
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        assertThat(refused.json().path("detail").stringValue()).contains("names its images so many times");
        assertThat(gateway.get("/api/v1/datasets/" + dataset, acmeKey).json().path("recordCount").asLong()).isZero();
    }

    @Test
    void shouldRefuseImagesForAModelThatDoesNotExistBeforeDecodingThem() throws Exception {
        // two 4096 × 4096 16-bit PNGs: 256 MiB once decoded, a few hundred KB as sent
        BufferedImage deep = new BufferedImage(4096, 4096, BufferedImage.TYPE_USHORT_GRAY);
        String image = Base64.getEncoder().encodeToString(png(deep));
        Http.Response refused = gateway.postJson("/api/v1/predictions/batch", acmeKey, Map.of("modelId", UUID.randomUUID(),
                "inputs", List.of(Map.of("imageBase64", image), Map.of("imageBase64", image))));
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(platform.restarts("inference-service")).isZero();
    }

    private static int unwrap(Http privacy, String dataset, String token) {
        return privacy.postJson("/internal/keys/data-keys/" + dataset + "/unwrap", null, "{}", InternalTokenCodec.HEADER, token)
                .status();
    }

    private static byte[] manifestFirst(int records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < records; i++) {
                lines.append("{\"id\":\"r").append(i).append("\",\"image\":\"images/m").append(i).append(".png\",\"label\":\"red-alpha\"}\n");
            }
            zip.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
