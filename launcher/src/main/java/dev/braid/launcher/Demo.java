package dev.braid.launcher;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.client.ApiClient;
import dev.braid.client.ApiClients;
import dev.braid.client.api.AdministrationApi;
import dev.braid.client.api.DatasetsApi;
import dev.braid.client.api.ModelsApi;
import dev.braid.client.api.PredictionsApi;
import dev.braid.client.api.PrivacyApi;
import dev.braid.client.api.TrainingJobsApi;
import dev.braid.client.model.BatchPredictionRequest;
import dev.braid.client.model.BranchMetrics;
import dev.braid.client.model.CreateApiKeyRequest;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.DatasetPrivacy;
import dev.braid.client.model.IngestReport;
import dev.braid.client.model.JobMetrics;
import dev.braid.client.model.JobPrivacyRequest;
import dev.braid.client.model.JobProgress;
import dev.braid.client.model.Prediction;
import dev.braid.client.model.PredictionInput;
import dev.braid.client.model.PrivacyBudget;
import dev.braid.client.model.PrivacyReport;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingJob;

/**
 * {@code ./braid demo}: what Braid is for, end to end, through the public API only (the client
 * generated from {@code api/openapi.json}). Uses the
 * running platform or starts one; generates a multimodal dataset where the text and the image
 * each carry half of the label; ingests it twice (a dataset without a budget for the non-private
 * model, one with a privacy budget for the DP model); trains both while printing their progress;
 * deploys the better; predicts a held-out set through the batch endpoint; prints the table.
 */
final class Demo {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> LABELS = List.of("red-alpha", "blue-alpha", "red-beta", "blue-beta");
    private static final String[] WORDS = {"please", "help", "with", "this", "order", "today", "again", "now", "the", "my",
        "parcel", "invoice", "account", "refund", "quickly", "thanks"};
    private static final int RECORDS = 1200;
    private static final int HELD_OUT = 400;

    private static final double TARGET_EPSILON = 3.0;

    // only for the health probe, which is operations, not the API the client is generated from; HTTP/1.1, as the
    // gateway speaks, rather than the JDK client's attempt to upgrade to HTTP/2
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private double sigma;

    private Demo(String gateway) {
        this.gateway = gateway;
    }

    /** What the demo trains on: labels, the records to ingest (NDJSON) and held-out inputs with their labels. */
    record DemoData(String description, List<String> labels, byte[] records, List<Map<String, String>> heldOut,
            List<String> heldOutLabels) {
    }

    static int run(List<String> args) throws Exception {
        String source = args.contains("--data") && args.size() > args.indexOf("--data") + 1
                ? args.get(args.indexOf("--data") + 1) : "generated";
        PlatformConfig config = PlatformConfig.fromEnvironment(System.getenv());
        DemoData data;
        switch (source) {
            case "generated" -> data = generated();
            case "emoji" -> {
                java.util.Optional<DemoData> emoji = EmojiData.load(config.home().resolve("data"));
                if (emoji.isEmpty()) {
                    return 2;
                }
                data = emoji.get();
            }
            case "fashion" -> {
                java.util.Optional<DemoData> fashion = FashionData.load();
                if (fashion.isEmpty()) {
                    return 2;
                }
                data = fashion.get();
            }
            default -> {
                System.err.println("unknown --data " + source + ": use generated (the default), emoji or fashion");
                return 2;
            }
        }
        String url = "http://127.0.0.1:" + config.port("gateway-service");
        try {
            return run(config, url, data);
        }
        catch (IllegalStateException ex) {
            System.err.println("The demo stopped: " + ex.getMessage());
            return 1;
        }
    }

    private static int run(PlatformConfig config, String url, DemoData data) throws Exception {
        Demo demo = new Demo(url);
        if (demo.healthy()) {
            System.out.println("Using the Braid running at " + url);
            return demo.show(adminKey(config), data);
        }
        System.out.println("Starting Braid (./braid down is not needed afterwards: the demo stops what it started)...");
        Platform platform = Platform.start(System.getenv());
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                platform.close();
            }
        };
        // Ctrl-C during the demo still stops the services and the database it started
        Thread hook = new Thread(stop, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new Demo(platform.gatewayUrl()).show(adminKey(config), data);
        }
        finally {
            stop.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /** The default: records where the text and the image each carry half of the label. */
    static DemoData generated() throws IOException {
        List<Map<String, String>> heldOut = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        Random random = new Random(99);
        for (int i = 0; i < HELD_OUT; i++) {
            int label = i % LABELS.size();
            heldOut.add(Map.of("text", text(label, random), "imageBase64", image(label, random)));
            truth.add(LABELS.get(label));
        }
        return new DemoData(RECORDS + " generated records (the text says alpha or beta, the image is red or blue, the label is "
                + "the pair) and " + HELD_OUT + " held out", LABELS, ndjson(RECORDS, 1), heldOut, truth);
    }

    private static String adminKey(PlatformConfig config) throws IOException {
        if (config.adminKey() != null) {
            return config.adminKey();
        }
        Path file = config.home().resolve("admin.key");
        if (!Files.exists(file)) {
            throw new IllegalStateException("no admin key: set BRAID_ADMIN_KEY to the platform's admin key");
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway + "/actuator/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int show(String adminKey, DemoData data) throws Exception {
        long started = System.nanoTime();
        String key = new AdministrationApi(ApiClients.of(gateway, adminKey)).createApiKey(new CreateApiKeyRequest()
                .tenant("demo-" + Long.toHexString(System.currentTimeMillis())).role(CreateApiKeyRequest.RoleEnum.MEMBER)).getKey();
        ApiClient client = ApiClients.of(gateway, key);
        DatasetsApi datasets = new DatasetsApi(client);
        TrainingJobsApi jobs = new TrainingJobsApi(client);
        System.out.println("Data: " + data.description());
        byte[] records = data.records();
        UUID open = datasets.createDataset(new CreateDatasetRequest().name("demo (no budget)").labels(data.labels())).getId();
        UUID guarded = datasets.createDataset(new CreateDatasetRequest().name("demo (privacy budget)").labels(data.labels())
                .privacy(new DatasetPrivacy().epsilonBudget(8.0).delta(1e-5))).getId();
        for (UUID dataset : List.of(open, guarded)) {
            IngestReport report = datasets.uploadRecords(dataset, new ByteArrayResource(records));
            System.out.printf(Locale.ROOT, "  ingested into %s: %d accepted, %d rejected%n", dataset, report.getAccepted(),
                    report.getRejectedCount());
        }

        // both jobs as a user submits them: the dataset and, for the private one, the ε it may spend; the trainer chooses the rest
        UUID plainJob = jobs.submitTrainingJob(new SubmitTrainingJobRequest().datasetId(open)).getId();
        TrainingJob submitted = jobs.submitTrainingJob(new SubmitTrainingJobRequest().datasetId(guarded)
                .privacy(new JobPrivacyRequest().targetEpsilon(TARGET_EPSILON)));
        PrivacyReport planned = submitted.getPrivacy();
        sigma = planned.getNoiseMultiplier();
        // a private job trains its text branch alone by default: then there is no α to choose privately
        boolean choosesAlpha = submitted.getModalities().size() == 2;
        System.out.printf(Locale.ROOT, "Training a non-private model and a DP-SGD model of %s (q %.3f, %d steps, σ %.2f found for "
                + "ε %.1f; planned ε %.2f%s, reserved)%n", String.join(" + ", submitted.getModalities()), planned.getSampleRate(),
                planned.getSteps(), sigma, TARGET_EPSILON, planned.getEpsilon(), choosesAlpha ? " with the private choice of α" : "");
        Map<String, TrainingJob> done = watch(jobs, Map.of("non-private", plainJob, "DP-SGD", submitted.getId()));

        TrainingJob plain = done.get("non-private");
        TrainingJob dp = done.get("DP-SGD");
        for (TrainingJob job : List.of(plain, dp)) {
            if (job.getStatus() != TrainingJob.StatusEnum.SUCCEEDED) {
                System.err.println("A job did not succeed: " + job.getId() + " " + job.getStatus() + ": " + job.getError());
                return 1;
            }
        }
        TrainingJob better = fused(plain) >= fused(dp) ? plain : dp;
        new ModelsApi(client).deployModel(better.getModelId());
        System.out.println("Deployed the " + (better == plain ? "non-private" : "DP-SGD") + " model " + better.getModelId()
                + "; predicting the held-out records through /predictions/batch");
        double[] served = predictHeldOut(new PredictionsApi(client), better.getDatasetId(), data);
        PrivacyBudget budget = new PrivacyApi(client).getPrivacyBudget(guarded);

        System.out.println();
        System.out.println("                       text acc  text F1   image acc image F1  fused acc fused F1  alpha   ε spent");
        row("non-private", plain, "-");
        row(String.format(Locale.ROOT, "DP-SGD (σ %.2f, C 1)", sigma), dp, String.format(Locale.ROOT, "%.2f", dp.getPrivacy().getEpsilon()));
        System.out.println();
        System.out.printf(Locale.ROOT, "privacy budget of the DP dataset: ε %.2f spent of %.2f, %.2f remaining (δ = %.0e)%n",
                budget.getEpsilonSpent(), budget.getEpsilonBudget(), budget.getEpsilonRemaining(), budget.getDelta());
        System.out.printf(Locale.ROOT, "held-out records predicted by the deployed model: accuracy %.3f, %.0f predictions/s "
                + "(batches of 50 through the gateway)%n", served[0], served[1]);
        System.out.printf(Locale.ROOT, "(metrics above are on each dataset's test split; the demo took %.0f s)%n",
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static double fused(TrainingJob job) {
        return job.getMetrics().getFused().getAccuracy();
    }

    private static void row(String name, TrainingJob job, String epsilon) {
        JobMetrics m = job.getMetrics();
        System.out.printf(Locale.ROOT, "%-22s %s %s %s %6.2f %9s%n", name, pair(m.getText(), 8), pair(m.getImage(), 9),
                pair(m.getFused(), 9), m.getAlpha(), epsilon);
    }

    /** A branch's accuracy and macro-F1, or dashes for a branch the model does not have. */
    private static String pair(BranchMetrics metric, int width) {
        if (metric == null || metric.getExamples() == null || metric.getExamples() == 0) {
            return String.format(Locale.ROOT, "%" + width + "s %8s", "-", "-");
        }
        if (metric.getMacroF1() == null) {
            // a private job's noisy release: its accuracy, with no macro-F1 (see README, "What a private job releases")
            return String.format(Locale.ROOT, "%" + width + ".3f %8s", metric.getAccuracy(), "(noisy)");
        }
        return String.format(Locale.ROOT, "%" + width + ".3f %8.3f", metric.getAccuracy(), metric.getMacroF1());
    }

    /** Polls the jobs, printing each one's progress as it changes, until all have ended. */
    private static Map<String, TrainingJob> watch(TrainingJobsApi api, Map<String, UUID> jobs) throws InterruptedException {
        Map<String, TrainingJob> finished = new LinkedHashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        while (finished.size() < jobs.size()) {
            for (Map.Entry<String, UUID> job : jobs.entrySet()) {
                if (finished.containsKey(job.getKey())) {
                    continue;
                }
                TrainingJob state = api.getTrainingJob(job.getValue());
                JobProgress p = state.getProgress();
                String line = String.format(Locale.ROOT, "  %-11s %-9s epoch %d/%d  step %d/%d", job.getKey(), state.getStatus().getValue(),
                        p.getEpoch(), p.getEpochs(), p.getStep(), p.getSteps());
                if (!line.equals(shown.get(job.getKey()))) {
                    System.out.println(line);
                    shown.put(job.getKey(), line);
                }
                if (state.getStatus() != TrainingJob.StatusEnum.QUEUED && state.getStatus() != TrainingJob.StatusEnum.RUNNING) {
                    finished.put(job.getKey(), state);
                }
            }
            Thread.sleep(1000);
        }
        return finished;
    }

    /** Accuracy and predictions per second on the held-out records, in batches of 50. */
    private static double[] predictHeldOut(PredictionsApi api, UUID datasetId, DemoData data) {
        List<PredictionInput> inputs = data.heldOut().stream().map(input -> new PredictionInput().text(input.get("text"))
                .imageBase64(input.get("imageBase64") == null ? null : Base64.getDecoder().decode(input.get("imageBase64")))).toList();
        List<String> truth = data.heldOutLabels();
        int correct = 0;
        long start = System.nanoTime();
        for (int from = 0; from < inputs.size(); from += 50) {
            List<Prediction> results = api.predictBatch(new BatchPredictionRequest().datasetId(datasetId)
                    .inputs(inputs.subList(from, Math.min(inputs.size(), from + 50)))).getResults();
            for (int i = 0; i < results.size(); i++) {
                correct += results.get(i).getLabel().equals(truth.get(from + i)) ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {(double) correct / inputs.size(), inputs.size() / seconds};
    }

    private static byte[] ndjson(int n, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = i % LABELS.size();
            out.append(JSON.writeValueAsString(Map.of("id", "demo-" + i, "text", text(label, random), "imageBase64",
                    image(label, random), "label", LABELS.get(label)))).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Filler words around "alpha" (the first two labels) or "beta": the text carries half the label. */
    private static String text(int label, Random random) {
        StringBuilder text = new StringBuilder();
        int before = 1 + random.nextInt(3);
        for (int i = 0; i < before; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        text.append(label < 2 ? "alpha" : "beta");
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** A 64×64 PNG, reddish (even labels) or bluish, with a few random grey squares: the image carries the other half. */
    private static String image(int label, Random random) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(label % 2 == 0 ? new Color(170 + random.nextInt(80), random.nextInt(90), random.nextInt(90))
                    : new Color(random.nextInt(90), random.nextInt(90), 170 + random.nextInt(80)));
            g.fillRect(0, 0, 64, 64);
            for (int i = 0; i < 4; i++) {
                int grey = random.nextInt(256);
                g.setColor(new Color(grey, grey, grey));
                g.fillRect(random.nextInt(56), random.nextInt(56), 4 + random.nextInt(8), 4 + random.nextInt(8));
            }
        }
        finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
