package dev.braid.benchmarks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
 * {@code ./braid up} runs it, best of two uploads. Prints both in MB/s and their ratio.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks-*-exec.jar [sizeMB] [imageSide]} from the
 * repository root, after {@code ./mvnw -DskipTests package}.
 */
public final class IngestionBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_KEY = ServingBenchmark.ADMIN_KEY;

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

        Raw raw = rawThroughput(archive);
        double ingest = ingestThroughput(archive, bytes, records, work);

        System.out.println();
        System.out.println("| measure | MB/s |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| raw: read + SHA-256 + AES-256-GCM (%s) | %.1f |%n", raw.providers(), raw.mbps());
        System.out.printf(Locale.ROOT, "| Braid ingestion through the gateway (ZIP, dataset service -Xmx512m) | %.1f |%n", ingest);
        System.out.printf(Locale.ROOT, "| ratio ingestion / raw | %.3f |%n", ingest / raw.mbps());
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

    /**
     * The machine's limit for the same bytes: read once, hash once, encrypt once, with the fastest providers there are
     * for SHA-256 and for AES-GCM, each pair measured warm (best of three runs) and the best pair kept.
     */
    static Raw rawThroughput(Path archive) throws Exception {
        FastCrypto.install();
        List<java.security.Provider> digests = new java.util.ArrayList<>(List.of(java.security.Security.getProvider("SUN")));
        List<java.security.Provider> ciphers = new java.util.ArrayList<>(List.of(java.security.Security.getProvider("SunJCE")));
        try {
            java.security.Provider conscrypt = org.conscrypt.Conscrypt.newProvider();
            digests.add(conscrypt);
            ciphers.add(conscrypt);
        }
        catch (LinkageError | RuntimeException ex) {
            System.out.println("Conscrypt does not load here: " + ex);
        }
        Raw best = null;
        for (java.security.Provider digest : digests) {
            for (java.security.Provider cipher : ciphers) {
                double mbps = rawThroughput(archive, digest, cipher);
                System.out.printf(Locale.ROOT, "raw, SHA-256 from %s, AES-GCM from %s: %.1f MB/s%n", digest.getName(),
                        cipher.getName(), mbps);
                if (best == null || mbps > best.mbps()) {
                    best = new Raw(mbps, digest.getName() + " SHA-256, " + cipher.getName() + " AES-GCM");
                }
            }
        }
        return best;
    }

    record Raw(double mbps, String providers) {
    }

    private static double rawThroughput(Path archive, java.security.Provider digest, java.security.Provider cipher)
            throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        double best = 0;
        for (int run = 0; run < 3; run++) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256", digest);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding", cipher);
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
        Path home = Files.createTempDirectory(work, "home-");
        Map<String, String> env = ServingBenchmark.environment(home);
        try (Platform platform = Platform.start(env)) {
            String gateway = platform.gatewayUrl();
            // best of two uploads, each into a new dataset, as the raw figure is the best of three: the first also
            // pays for the service's JIT compiling its ingestion path
            double best = 0;
            for (int run = 1; run <= 2; run++) {
                String datasetId = new DatasetsApi(ApiClients.of(gateway, ADMIN_KEY)).createDataset(new CreateDatasetRequest()
                        .name("benchmark-" + run).labels(List.of("even", "odd"))).getId().toString();
                Map<String, Double> cpuBefore = cpuSeconds();
                long start = System.nanoTime();
                Upload uploaded = postFile(URI.create(gateway + "/api/v1/datasets/" + datasetId + "/records"), archive);
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Double> cpuAfter = cpuSeconds();
                StringBuilder cpu = new StringBuilder();
                cpuAfter.forEach((process, total) -> cpu.append(String.format(Locale.ROOT, " %s %.2f", process,
                        total - cpuBefore.getOrDefault(process, 0.0))));
                System.out.printf(Locale.ROOT, "run %d: CPU seconds during the upload (of %.1f available on %d cores):%s%n", run,
                        seconds * Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors(), cpu);
                if (uploaded.status() != 200) {
                    throw new IllegalStateException("upload failed: " + uploaded.status() + " " + uploaded.body());
                }
                JsonNode report = JSON.readTree(uploaded.body());
                System.out.printf(Locale.ROOT, "run %d: ingested %d of %d records in %.1f s (%d duplicates, %d rejected)%n", run,
                        report.path("accepted").asLong(), records, seconds, report.path("duplicates").asLong(),
                        report.path("rejected").size());
                best = Math.max(best, bytes / 1e6 / seconds);
            }
            return best;
        }
        finally {
            deleteTree(home);
        }
    }

    private record Upload(int status, String body) {
    }

    /**
     * CPU time so far of this JVM (the load generator) and of the processes it started, by kind: each service, and
     * PostgreSQL's processes together.
     */
    private static Map<String, Double> cpuSeconds() {
        Map<String, Double> seconds = new java.util.TreeMap<>();
        add(seconds, "client", ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(process -> {
            String command = process.info().commandLine().orElse("");
            java.util.regex.Matcher service = java.util.regex.Pattern.compile("([a-z]+-service)-[^/ ]*\\.jar").matcher(command);
            String kind = service.find() ? service.group(1) : command.contains("postgres") ? "postgres" : "other";
            add(seconds, kind, process);
        });
        return seconds;
    }

    private static void add(Map<String, Double> seconds, String kind, ProcessHandle process) {
        process.info().totalCpuDuration().ifPresent(cpu -> seconds.merge(kind, cpu.toNanos() / 1e9, Double::sum));
    }

    /**
     * The timed upload: one HTTP/1.1 request whose body the kernel copies from the file to the socket
     * ({@code transferTo}, sendfile), so the load generator spends next to no CPU on the two cores it shares with the
     * platform. The answer is read to its end ({@code Connection: close}).
     */
    private static Upload postFile(URI uri, Path file) throws IOException {
        try (java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(
                new java.net.InetSocketAddress(uri.getHost(), uri.getPort()));
                java.nio.channels.FileChannel body = java.nio.channels.FileChannel.open(file)) {
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: application/zip\r\nContent-Length: "
                    + body.size() + "\r\nConnection: close\r\n\r\n";
            java.nio.ByteBuffer headBytes = java.nio.ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
            while (headBytes.hasRemaining()) {
                socket.write(headBytes);
            }
            for (long sent = 0; sent < body.size();) {
                sent += body.transferTo(sent, body.size() - sent, socket);
            }
            byte[] answer = java.nio.channels.Channels.newInputStream(socket).readAllBytes();
            int split = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            String headers = new String(answer, 0, split, StandardCharsets.US_ASCII);
            byte[] content = java.util.Arrays.copyOfRange(answer, split + 4, answer.length);
            if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                content = unchunk(content);
            }
            return new Upload(Integer.parseInt(headers.substring(9, 12)), new String(content, StandardCharsets.UTF_8));
        }
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0;;) {
            int end = indexOf(chunked, crlf, at);
            int size = Integer.parseInt(new String(chunked, at, end - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return content.toByteArray();
            }
            content.write(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] bytes, byte[] pattern, int from) {
        for (int i = from; i <= bytes.length - pattern.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalStateException("malformed HTTP answer");
    }

    /** The run's database and logs go; the generated archive stays for the next run. */
    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
