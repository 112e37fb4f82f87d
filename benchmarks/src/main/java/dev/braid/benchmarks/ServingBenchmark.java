package dev.braid.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.client.ApiClient;
import dev.braid.client.ApiClients;
import dev.braid.client.api.AdministrationApi;
import dev.braid.client.api.DatasetsApi;
import dev.braid.client.api.ModelsApi;
import dev.braid.client.api.TrainingJobsApi;
import dev.braid.client.model.CreateApiKeyRequest;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingJob;
import dev.braid.common.image.ImageProbe;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.launcher.Platform;
import dev.braid.model.FusedClassifier;
import dev.braid.model.ModelArtifact;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.SyntheticData;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;

/**
 * Serving throughput and latency, side by side in one run, for fused text + image predictions:
 * <ol>
 *   <li>the platform as {@code ./braid up} starts it, a model trained and deployed through the
 *       public API, and a second inference instance on the same database with batching off
 *       ({@code max-batch 1});</li>
 *   <li>closed-loop load at concurrency 1, 8 and 32 against each instance directly (signed as the
 *       gateway signs), then through the gateway against the batching instance at the same load,
 *       for the gateway's added latency;</li>
 *   <li>the same model in process, no HTTP, at the served batch size: the machine's limit for it.</li>
 * </ol>
 * {@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.ServingBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher [seconds per measurement]}
 */
public final class ServingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ADMIN_KEY = "benchmark-admin-key";
    static final String SECRET = "benchmark-internal-secret-long-enough-for-hmac";
    private static final int[] CONCURRENCY = {1, 8, 32};

    private ServingBenchmark() {
    }

    record Stats(double perSecond, double p50, double p99, long errors) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8.1f/s  p50 %6.2f ms  p99 %7.2f ms%s", perSecond, p50, p99,
                    errors == 0 ? "" : "  (" + errors + " errors)");
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path home = home("serving-benchmark");
        Map<String, String> env = environment(home);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (Platform platform = Platform.start(env)) {
            String gateway = platform.gatewayUrl();
            String key = memberKey(gateway);
            String modelId = trainAndDeploy(ApiClients.of(gateway, key));
            Instance batchOne = startInstance(env, platform, home, "unbatched", Map.of("BRAID_INFERENCE_BATCHING_MAXBATCH", "1"));
            Instance passive = startInstance(env, platform, home, "passive", Map.of("OMP_WAIT_POLICY", "PASSIVE"));
            try {
                int unbatchedPort = batchOne.port();
                awaitHealthy(http, unbatchedPort);
                awaitHealthy(http, passive.port());
                byte[] body = JSON.writeValueAsBytes(payload(modelId));
                String direct = "http://127.0.0.1:" + platform.port("inference-service") + "/api/v1/predictions";
                Supplier<HttpRequest.Builder> batchedDirect = signed(direct, JSON_BODY);
                Supplier<HttpRequest.Builder> unbatchedDirect = signed("http://127.0.0.1:" + unbatchedPort + "/api/v1/predictions",
                        JSON_BODY);
                Supplier<HttpRequest.Builder> passiveDirect = signed("http://127.0.0.1:" + passive.port() + "/api/v1/predictions",
                        JSON_BODY);
                Supplier<HttpRequest.Builder> viaGateway = viaGateway(gateway, key);

                // warm the instances (the model loads on first use) and the JIT
                load(http, batchedDirect, body, 8, 3);
                load(http, unbatchedDirect, body, 8, 3);
                load(http, passiveDirect, body, 8, 3);
                load(http, viaGateway, body, 8, 3);
                // PyTorch's OpenMP threads spin between operations by default; beside a web server on few cores
                // the spinning takes the CPU the requests need. The same batched service, both ways, side by side
                Map<Integer, Stats[]> waitPolicy = new HashMap<>();
                for (int c : new int[] {1, 32}) {
                    waitPolicy.put(c, sideBySide(http, batchedDirect, passiveDirect, body, c, 2 * seconds, 4, 200));
                }

                System.out.println();
                System.out.println("Fused predictions (text + 64x64 image), closed loop, " + seconds + " s each, "
                        + Runtime.getRuntime().availableProcessors() + " cores");
                Map<Integer, Stats> batched = new HashMap<>();
                Map<Integer, Stats> single = new HashMap<>();
                for (int c : CONCURRENCY) {
                    batched.put(c, load(http, batchedDirect, body, c, seconds));
                    single.put(c, load(http, unbatchedDirect, body, c, seconds));
                    System.out.printf(Locale.ROOT, "concurrency %2d  batching (max 32, 5 ms): %s%n", c, batched.get(c));
                    System.out.printf(Locale.ROOT, "concurrency %2d  max batch 1:             %s%n", c, single.get(c));
                }
                Stats[] one = sideBySide(http, viaGateway, batchedDirect, body, 1, 2 * seconds, 6, 200);
                Stats[] eight = sideBySide(http, viaGateway, batchedDirect, body, 8, 2 * seconds, 6, 200);
                Stats gatewayOne = one[0];
                Stats directOne = one[1];
                Stats gatewayStats = eight[0];
                Stats directAgain = eight[1];
                // the same input as a form, the image a binary part: what base64 and JSON cost when served
                Map<String, Object> input = payload(modelId);
                String boundary = "braid-benchmark-boundary";
                byte[] form = form(boundary, modelId, (String) input.get("text"),
                        Base64.getDecoder().decode((String) input.get("imageBase64")));
                Supplier<HttpRequest.Builder> formDirect = signed(direct, "multipart/form-data; boundary=" + boundary);
                Stats[] jsonOrForm = sideBySide(http, batchedDirect, formDirect, body, form, 32, 2 * seconds, 4, 200);
                double raw = rawThroughput(platform, modelId, 32, seconds);

                Stats b32 = batched.get(32);
                Stats s32 = single.get(32);
                System.out.println();
                System.out.printf(Locale.ROOT, "batching / batch-1 throughput at concurrency 32: %.2fx (goal >= 3)%n",
                        b32.perSecond() / s32.perSecond());
                System.out.printf(Locale.ROOT, "batching p99 / batch-1 p99 at concurrency 32:    %.2f (goal <= 2)%n", b32.p99() / s32.p99());
                System.out.printf(Locale.ROOT, "gateway at concurrency 1: %s%ndirect  at concurrency 1: %s%n", gatewayOne, directOne);
                System.out.printf(Locale.ROOT, "gateway at concurrency 8: %s%ndirect  at concurrency 8: %s%n", gatewayStats, directAgain);
                System.out.printf(Locale.ROOT, "gateway added latency at p50: %.2f ms at concurrency 1 (goal <= 1.5), %.2f ms at 8 (goal <= 3)%n",
                        gatewayOne.p50() - directOne.p50(), gatewayStats.p50() - directAgain.p50());
                System.out.printf(Locale.ROOT, "concurrency 32, base64 in JSON (%d bytes): %s%nconcurrency 32, binary form (%d bytes): %s%n",
                        body.length, jsonOrForm[0], form.length, jsonOrForm[1]);
                parsingCost(raw);
                for (int c : new int[] {1, 32}) {
                    System.out.printf(Locale.ROOT, "concurrency %2d, OpenMP default wait: %s%nconcurrency %2d, OMP_WAIT_POLICY=PASSIVE: %s%n",
                            c, waitPolicy.get(c)[0], c, waitPolicy.get(c)[1]);
                }
                System.out.printf(Locale.ROOT, "in-process limit at batch 32 (images decoded from base64 PNG per input, as served): "
                        + "%.1f predictions/s; served at concurrency 32: %.1f/s = %.0f %% (goal >= 85 %%)%n", raw, b32.perSecond(),
                        100 * b32.perSecond() / raw);
            }
            finally {
                batchOne.process().destroy();
                passive.process().destroy();
                batchOne.process().waitFor();
                passive.process().waitFor();
            }
        }
        System.exit(0);
    }

    static final String JSON_BODY = "application/json";
    private static final InternalTokenCodec CODEC = new InternalTokenCodec(SECRET, Duration.ofMinutes(10));

    /** Requests straight to a service's URL, signed as the gateway signs them (a fresh token each), with a body of that type. */
    static Supplier<HttpRequest.Builder> signed(String url, String contentType) {
        URI uri = URI.create(url);
        return () -> HttpRequest.newBuilder(uri).header(InternalTokenCodec.HEADER, CODEC.issue("bench", Role.MEMBER, "bench", "b"))
                .header("Content-Type", contentType);
    }

    /** JSON predictions through the gateway with the API key. */
    static Supplier<HttpRequest.Builder> viaGateway(String gateway, String key) {
        URI uri = URI.create(gateway + "/api/v1/predictions");
        return () -> HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).header("Content-Type", JSON_BODY);
    }

    /** A fresh state directory for one run of a benchmark, under {@code target/<name>}. */
    static Path home(String name) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target", name)).toAbsolutePath(), "home-");
    }

    /**
     * The platform's environment for a benchmark: its own state directory and free ports, a known admin key and
     * internal secret (the benchmark signs direct calls as the gateway does), and a rate limit that never binds.
     */
    static Map<String, String> environment(Path home) throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BRAID_ROOT", Path.of("").toAbsolutePath().toString());
        env.put("BRAID_HOME", home.toString());
        env.put("BRAID_ADMIN_KEY", ADMIN_KEY);
        env.put("BRAID_INTERNAL_SECRET", SECRET);
        env.put("BRAID_GATEWAY_RATELIMIT_BURST", "1000000");
        env.put("BRAID_GATEWAY_RATELIMIT_REQUESTSPERSECOND", "1000000");
        for (String service : List.of("GATEWAY", "DATASET", "TRAINING", "INFERENCE", "PRIVACY", "POSTGRES")) {
            env.put("BRAID_" + service + "_PORT", Integer.toString(freePort()));
            env.put("BRAID_" + service + "_MANAGEMENT_PORT", Integer.toString(freePort()));
        }
        return env;
    }

    /** A member's API key of the benchmark's tenant, made through the gateway with the admin key. */
    static String memberKey(String gateway) {
        return new AdministrationApi(ApiClients.of(gateway, ADMIN_KEY)).createApiKey(new CreateApiKeyRequest().tenant("bench")
                .role(CreateApiKeyRequest.RoleEnum.MEMBER)).getKey();
    }

    static Map<String, Object> payload(String modelId) throws IOException {
        SyntheticData.Sample sample = SyntheticData.sample(1, new Random(5));
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.getGraphics().drawImage(sample.image(), 0, 0, 64, 64, null);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Map.of("modelId", modelId, "text", sample.text(), "imageBase64", Base64.getEncoder().encodeToString(png.toByteArray()));
    }

    /**
     * A dataset of generated records, a short job, the model deployed: all through the public API, on
     * the client generated from its document; the measured load is bare HTTP (see {@link #load}).
     */
    private static String trainAndDeploy(ApiClient client) throws Exception {
        UUID datasetId = dataset(client);
        TrainingJob job = awaitJob(client, submitJob(client, datasetId));
        new ModelsApi(client).deployModel(job.getModelId());
        System.out.printf(Locale.ROOT, "model %s: fused test accuracy %.3f%n", job.getModelId(),
                job.getMetrics().getFused().getAccuracy());
        return job.getModelId().toString();
    }

    /** A dataset of 400 generated records (text and a 64×64 image, four labels). */
    static UUID dataset(ApiClient client) throws IOException {
        UUID datasetId = new DatasetsApi(client).createDataset(new CreateDatasetRequest().name("serving-benchmark")
                .labels(SyntheticData.LABELS)).getId();
        StringBuilder ndjson = new StringBuilder();
        Random random = new Random(1);
        for (int i = 0; i < 400; i++) {
            SyntheticData.Sample s = SyntheticData.sample(i % 4, random);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(s.image(), "png", png);
            ndjson.append(JSON.writeValueAsString(Map.of("text", s.text(), "imageBase64",
                    Base64.getEncoder().encodeToString(png.toByteArray()), "label", s.labelName()))).append('\n');
        }
        new DatasetsApi(client).uploadRecords(datasetId, new ByteArrayResource(ndjson.toString().getBytes(StandardCharsets.UTF_8)));
        return datasetId;
    }

    /** A short job on the dataset (5 epochs): the network a job gets by default, trained briefly. */
    static UUID submitJob(ApiClient client, UUID datasetId) {
        return new TrainingJobsApi(client).submitTrainingJob(new SubmitTrainingJobRequest().datasetId(datasetId).epochs(5)
                .batchSize(16).learningRate(0.01)).getId();
    }

    /** The job once it has succeeded; fails when it ends any other way. */
    static TrainingJob awaitJob(ApiClient client, UUID jobId) throws InterruptedException {
        TrainingJobsApi jobs = new TrainingJobsApi(client);
        while (true) {
            TrainingJob job = jobs.getTrainingJob(jobId);
            if (job.getStatus() == TrainingJob.StatusEnum.SUCCEEDED) {
                return job;
            }
            if (job.getStatus() != TrainingJob.StatusEnum.QUEUED && job.getStatus() != TrainingJob.StatusEnum.RUNNING) {
                throw new IllegalStateException("training ended " + job.getStatus() + ": " + job.getError());
            }
            Thread.sleep(1000);
        }
    }

    record Instance(Process process, int port) {
    }

    /** Another inference instance on the platform's database, its environment changed by {@code settings}. */
    private static Instance startInstance(Map<String, String> env, Platform platform, Path home, String name,
            Map<String, String> settings) throws IOException {
        Map<String, String> child = new HashMap<>(env);
        int port = freePort();
        child.put("BRAID_INFERENCE_PORT", Integer.toString(port));
        child.put("BRAID_INFERENCE_MANAGEMENT_PORT", Integer.toString(freePort()));
        child.put("BRAID_DATABASE_URL", "jdbc:postgresql://localhost:" + env.get("BRAID_POSTGRES_PORT") + "/braid");
        child.put("BRAID_PRIVACY_URL", "http://127.0.0.1:" + platform.port("privacy-service"));
        child.putAll(settings);
        Path jar;
        try (var jars = Files.list(Path.of("inference-service", "target"))) {
            jar = jars.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-Dai.djl.offline=true", "-jar", jar.toString());
        builder.environment().clear();
        builder.environment().putAll(child);
        builder.redirectErrorStream(true).redirectOutput(home.resolve("logs/inference-" + name + ".log").toFile());
        return new Instance(builder.start(), port);
    }

    private static void awaitHealthy(HttpClient http, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the unbatched inference instance did not become healthy");
    }

    /**
     * {@code concurrency} clients, each sending its next request when the last is answered, for {@code seconds}; the
     * request names its content type.
     */
    static Stats load(HttpClient http, Supplier<HttpRequest.Builder> request, byte[] body, int concurrency, int seconds)
            throws Exception {
        return load(http, request, body, concurrency, seconds, 200);
    }

    /** As above, counting as answered the responses with {@code expected} status. */
    static Stats load(HttpClient http, Supplier<HttpRequest.Builder> request, byte[] body, int concurrency, int seconds,
            int expected) throws Exception {
        Run run = run(http, request, body, concurrency, seconds, expected);
        return stats(List.of(run));
    }

    /**
     * Two ways of sending the same requests, measured side by side: {@code rounds} alternating runs of each (A B, B A,
     * A B, ...), each {@code seconds / rounds} long, their latencies pooled per way. Neither way gets the JIT's later
     * warmth or a quieter spell of the machine that the other did not.
     */
    static Stats[] sideBySide(HttpClient http, Supplier<HttpRequest.Builder> a, Supplier<HttpRequest.Builder> b,
            byte[] body, int concurrency, int seconds, int rounds, int expected) throws Exception {
        return sideBySide(http, a, b, body, body, concurrency, seconds, rounds, expected);
    }

    /** As above, each way with a body of its own. */
    static Stats[] sideBySide(HttpClient http, Supplier<HttpRequest.Builder> a, Supplier<HttpRequest.Builder> b,
            byte[] bodyA, byte[] bodyB, int concurrency, int seconds, int rounds, int expected) throws Exception {
        List<Run> runsA = new ArrayList<>();
        List<Run> runsB = new ArrayList<>();
        int each = Math.max(1, seconds / rounds);
        for (int round = 0; round < rounds; round++) {
            boolean aFirst = round % 2 == 0;
            Run first = run(http, aFirst ? a : b, aFirst ? bodyA : bodyB, concurrency, each, expected);
            Run second = run(http, aFirst ? b : a, aFirst ? bodyB : bodyA, concurrency, each, expected);
            (aFirst ? runsA : runsB).add(first);
            (aFirst ? runsB : runsA).add(second);
        }
        return new Stats[] {stats(runsA), stats(runsB)};
    }

    record Run(long[] latencies, double seconds, long errors) {
    }

    private static Stats stats(List<Run> runs) {
        long[] sorted = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
        double seconds = runs.stream().mapToDouble(Run::seconds).sum();
        long errors = runs.stream().mapToLong(Run::errors).sum();
        return new Stats(sorted.length / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), errors);
    }

    private static Run run(HttpClient http, Supplier<HttpRequest.Builder> request, byte[] body, int concurrency, int seconds,
            int expected) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<long[]>> results = new ArrayList<>();
        long[] errors = new long[1];
        for (int i = 0; i < concurrency; i++) {
            results.add(clients.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (running.get()) {
                    long start = System.nanoTime();
                    HttpResponse<Void> response = http.send(request.get().POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != expected) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        return new Run(all.stream().flatMapToLong(Arrays::stream).toArray(), elapsed, errors[0]);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** The deployed model's artifact, opened as the service opens it, predicting batches in process. */
    private static double rawThroughput(Platform platform, String modelId, int batch, int seconds) throws Exception {
        // the same network (fine-tuned encoder, as the served job left it to the trainer), retrained here from the
        // same data: serving cost depends on the network, not the weights
        ModelArtifact artifact = new MultimodalTrainer().train(SyntheticData.examples(200, 1), SyntheticData.LABELS,
                new TrainingOptions(1, 16, 0.01, 0.01, 0, 1, null, true, true, TrainingOptions.fineTuning(null, false)),
                TrainingListener.NONE).artifact();
        Map<String, Object> payload = payload(modelId);
        String text = (String) payload.get("text");
        String imageBase64 = (String) payload.get("imageBase64");
        try (FusedClassifier classifier = FusedClassifier.load(artifact)) {
            long warm = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warm) {
                classifier.predict(decoded(text, imageBase64, batch));
            }
            long start = System.nanoTime();
            long done = 0;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                classifier.predict(decoded(text, imageBase64, batch));
                done += batch;
            }
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * The inputs as the service makes them from a request, the same work per input: base64 decoded, the PNG's header
     * checked, then decoded (the text is tokenised and encoded inside the model's batch, as served).
     */
    private static List<FusedClassifier.Input> decoded(String text, String imageBase64, int batch) throws Exception {
        List<FusedClassifier.Input> inputs = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            byte[] png = ImageProbe.decodeBase64(imageBase64, 8L << 20);
            ImageProbe.check(png, 4L << 20);
            inputs.add(new FusedClassifier.Input(text, ImageProbe.decodeChecked(png)));
        }
        return inputs;
    }

    /** A prediction as multipart/form-data: modelId and text as fields, the image as a binary part. */
    static byte[] form(String boundary, String modelId, String text, byte[] image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"modelId\"\r\n\r\n" + modelId + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(image);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * What reading an image out of a JSON body costs in process (parse, base64), against one prediction's share of the
     * in-process limit: for the benchmark's 64×64 PNG and for a 256×256 photo-sized one (noise, so it does not compress).
     */
    private static void parsingCost(double predictionsPerSecond) throws IOException {
        Random random = new Random(3);
        for (int side : new int[] {64, 256}) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    image.setRGB(x, y, side == 64 ? (x / 16 + y / 16) % 2 * 0xff0000 : random.nextInt(1 << 24));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            byte[] json = JSON.writeValueAsBytes(Map.of("modelId", UUID.randomUUID().toString(), "text", "a red circle",
                    "imageBase64", Base64.getEncoder().encodeToString(png.toByteArray())));
            long sink = 0;
            long deadline = System.nanoTime() + 3_000_000_000L;
            int n = 0;
            long start = 0;
            while (true) {
                if (n == 2000) {
                    start = System.nanoTime();
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = JSON.readValue(json, Map.class);
                sink += Base64.getDecoder().decode((String) parsed.get("imageBase64")).length;
                n++;
                if (n > 2000 && System.nanoTime() > deadline) {
                    break;
                }
            }
            double micros = (System.nanoTime() - start) / 1e3 / (n - 2000);
            System.out.printf(Locale.ROOT, "JSON + base64 of a %dx%d PNG (%d bytes as base64 JSON, %d as bytes): %.1f us per request, "
                    + "%.2f %% of one prediction at the in-process limit%s%n", side, side, json.length, png.size(), micros,
                    micros / 1e4 * predictionsPerSecond, sink == 0 ? "" : "");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
