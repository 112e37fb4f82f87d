package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.client.ApiClients;
import dev.braid.client.api.DatasetsApi;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.common.crypto.FastCrypto;
import dev.braid.launcher.Platform;

/**
 * Ingestion throughput against the machine's own limit, side by side in one run: a generated ZIP
 * (manifest + unique noise PNGs) is (1) read, SHA-256 hashed and AES-256-GCM encrypted in process
 * with the fastest provider, the raw limit for touching those bytes once; and (2) uploaded through
 * the gateway to a platform started here, with the dataset service's heap capped at 512 MB as
 * {@code ./braid up} runs it. Prints both in MB/s and their ratio.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks-*-exec.jar [sizeMB] [imageSide]} from the
 * repository root, after {@code ./mvnw -DskipTests package}.
 */
public final class IngestionBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_KEY = "benchmark-admin-key";

    private IngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMb = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path work = Files.createDirectories(Path.of("benchmarks", "target", "ingestion"));
        Path archive = work.resolve("archive-" + sizeMb + "mb-" + side + ".zip");
        int records = generate(archive, sizeMb * 1024 * 1024, side);
        long bytes = Files.size(archive);
        System.out.printf(Locale.ROOT, "archive: %s, %d records, %.1f MB%n", archive, records, bytes / 1e6);

        double raw = rawThroughput(archive);
        double ingest = ingestThroughput(archive, bytes, records, work);

        System.out.println();
        System.out.println("| measure | MB/s |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| raw: read + SHA-256 + AES-256-GCM (%s) | %.1f |%n",
                FastCrypto.install() ? "Conscrypt" : "JDK", raw);
        System.out.printf(Locale.ROOT, "| Braid ingestion through the gateway (ZIP, dataset service -Xmx512m) | %.1f |%n", ingest);
        System.out.printf(Locale.ROOT, "| ratio ingestion / raw | %.3f |%n", ingest / raw);
        System.exit(0);
    }

    /** A ZIP of unique noise PNGs with a manifest first; returns the record count. */
    static int generate(Path archive, long targetBytes, int side) throws IOException {
        if (Files.exists(archive)) {
            try (var lines = new java.util.zip.ZipFile(archive.toFile())) {
                return lines.size() - 1;
            }
        }
        Random random = new Random(42);
        byte[] sample = png(side, random);
        int count = (int) Math.max(1, targetBytes / sample.length);
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            for (int i = 0; i < count; i++) {
                String line = "{\"id\":\"r" + i + "\",\"text\":\"generated record " + i + "\",\"image\":\"images/" + i
                        + ".png\",\"label\":\"" + (i % 2 == 0 ? "even" : "odd") + "\"}\n";
                zip.write(line.getBytes(StandardCharsets.UTF_8));
            }
            zip.closeEntry();
            for (int i = 0; i < count; i++) {
                zip.putNextEntry(new ZipEntry("images/" + i + ".png"));
                zip.write(png(side, random));
                zip.closeEntry();
            }
        }
        Files.move(partial, archive);
        return count;
    }

    private static byte[] png(int side, Random random) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The machine's limit for the same bytes: read once, hash once, encrypt once; best of three runs. */
    static double rawThroughput(Path archive) throws Exception {
        FastCrypto.install();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        double best = 0;
        for (int run = 0; run < 3; run++) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec aesKey = new SecretKeySpec(key, "AES");
            byte[] buffer = new byte[1 << 20];
            byte[] out = new byte[(1 << 20) + 32];
            byte[] nonce = new byte[12];
            long total = 0;
            long chunk = 0;
            long start = System.nanoTime();
            try (InputStream in = Files.newInputStream(archive)) {
                for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0;) {
                    sha.update(buffer, 0, n);
                    // one AEAD message per MB, as ingestion seals one message per record field
                    java.nio.ByteBuffer.wrap(nonce).putInt(run).putLong(chunk++);
                    aes.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
                    aes.doFinal(buffer, 0, n, out);
                    total += n;
                }
            }
            sha.digest();
            best = Math.max(best, total / 1e6 / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    /** Starts the platform, creates a dataset and uploads the archive through the gateway. */
    static double ingestThroughput(Path archive, long bytes, int records, Path work) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BRAID_ROOT", Path.of("").toAbsolutePath().toString());
        Path home = Files.createTempDirectory(work, "home-");
        env.put("BRAID_HOME", home.toString());
        env.put("BRAID_ADMIN_KEY", ADMIN_KEY);
        for (String service : List.of("GATEWAY", "DATASET", "TRAINING", "INFERENCE", "PRIVACY", "POSTGRES")) {
            env.put("BRAID_" + service + "_PORT", Integer.toString(freePort()));
            env.put("BRAID_" + service + "_MANAGEMENT_PORT", Integer.toString(freePort()));
        }
        try (Platform platform = Platform.start(env)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String gateway = platform.gatewayUrl();
            String datasetId = new DatasetsApi(ApiClients.of(gateway, ADMIN_KEY)).createDataset(new CreateDatasetRequest()
                    .name("benchmark").labels(List.of("even", "odd"))).getId().toString();
            // the timed upload is a bare HTTP request streaming the file, so the figure holds no client-side work
            long start = System.nanoTime();
            HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(
                            URI.create(gateway + "/api/v1/datasets/" + datasetId + "/records"))
                    .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/zip")
                    .timeout(Duration.ofHours(1))
                    .POST(HttpRequest.BodyPublishers.ofFile(archive)).build(), HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (uploaded.statusCode() != 200) {
                throw new IllegalStateException("upload failed: " + uploaded.statusCode() + " " + uploaded.body());
            }
            JsonNode report = JSON.readTree(uploaded.body());
            System.out.printf(Locale.ROOT, "ingested %d of %d records in %.1f s (%d duplicates, %d rejected)%n",
                    report.path("accepted").asLong(), records, seconds, report.path("duplicates").asLong(),
                    report.path("rejected").size());
            return bytes / 1e6 / seconds;
        }
        finally {
            deleteTree(home);
        }
    }

    /** The run's database and logs go; the generated archive stays for the next run. */
    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
