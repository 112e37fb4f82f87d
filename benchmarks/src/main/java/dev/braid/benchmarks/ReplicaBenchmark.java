package dev.braid.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

import dev.braid.client.ApiClient;
import dev.braid.client.ApiClients;
import dev.braid.client.api.ModelsApi;
import dev.braid.client.model.TrainingJob;
import dev.braid.launcher.Platform;

/**
 * Several replicas on one machine, measured: the platform as {@code ./braid up} starts it with
 * {@code BRAID_INFERENCE_REPLICAS=2} and {@code BRAID_TRAINING_REPLICAS=2}, behind one gateway that balances the two
 * inference instances.
 * <ol>
 *   <li>Serving at concurrency 32, side by side: through the gateway over both instances, directly to both
 *       (round-robin in the client), and directly to one: what a second instance adds on these cores.</li>
 *   <li>Training: two jobs submitted at once, one per worker: how long both take against one job alone.</li>
 *   <li>A deploy made through the gateway (one instance handles it): how long until every instance serves the new
 *       model for the dataset.</li>
 * </ol>
 * {@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.ReplicaBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher [seconds per measurement]}
 */
public final class ReplicaBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReplicaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Map<String, String> env = ServingBenchmark.environment(ServingBenchmark.home("replica-benchmark"));
        env.put("BRAID_INFERENCE_REPLICAS", "2");
        env.put("BRAID_TRAINING_REPLICAS", "2");
        // the second instances listen 10 above the first: pick first ports whose +10 is free too
        for (String service : List.of("INFERENCE", "TRAINING")) {
            env.put("BRAID_" + service + "_PORT", Integer.toString(freePairedPort()));
            env.put("BRAID_" + service + "_MANAGEMENT_PORT", Integer.toString(freePairedPort()));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (Platform platform = Platform.start(env)) {
            String gateway = platform.gatewayUrl();
            String key = ServingBenchmark.memberKey(gateway);
            ApiClient client = ApiClients.of(gateway, key);
            int first = platform.port("inference-service");
            int second = first + Platform.REPLICA_PORT_STEP;

            UUID dataset = ServingBenchmark.dataset(client);
            long alone = System.nanoTime();
            TrainingJob warm = ServingBenchmark.awaitJob(client, ServingBenchmark.submitJob(client, dataset));
            double aloneSeconds = (System.nanoTime() - alone) / 1e9;
            long together = System.nanoTime();
            UUID a = ServingBenchmark.submitJob(client, dataset);
            UUID b = ServingBenchmark.submitJob(client, dataset);
            TrainingJob jobA = ServingBenchmark.awaitJob(client, a);
            TrainingJob jobB = ServingBenchmark.awaitJob(client, b);
            double togetherSeconds = (System.nanoTime() - together) / 1e9;
            boolean overlapped = jobA.getStartedAt().isBefore(jobB.getFinishedAt()) && jobB.getStartedAt().isBefore(jobA.getFinishedAt());

            new ModelsApi(client).deployModel(warm.getModelId());
            byte[] body = JSON.writeValueAsBytes(ServingBenchmark.payload(warm.getModelId().toString()));
            Supplier<HttpRequest.Builder> viaGateway = ServingBenchmark.viaGateway(gateway, key);
            Supplier<HttpRequest.Builder> toFirst = direct(first);
            Supplier<HttpRequest.Builder> toSecond = direct(second);
            AtomicInteger next = new AtomicInteger();
            Supplier<HttpRequest.Builder> bothDirect = () -> (next.getAndIncrement() % 2 == 0 ? toFirst : toSecond).get();
            Supplier<HttpRequest.Builder> oneDirect = toFirst;
            ServingBenchmark.load(http, viaGateway, body, 8, 5);
            ServingBenchmark.load(http, bothDirect, body, 8, 5);
            ServingBenchmark.Stats[] instances = ServingBenchmark.sideBySide(http, bothDirect, oneDirect, body, 32, 2 * seconds, 4, 200);
            ServingBenchmark.Stats[] balanced = ServingBenchmark.sideBySide(http, viaGateway, bothDirect, body, 32, 2 * seconds, 4, 200);

            // a deploy through the gateway: one instance takes it, the other learns of it from its route cache
            byte[] byDataset = JSON.writeValueAsBytes(Map.of("datasetId", dataset.toString(), "text", "red alpha"));
            long deployed = System.nanoTime();
            new ModelsApi(client).deployModel(jobB.getModelId());
            double[] servedAfter = new double[2];
            int[] ports = {first, second};
            for (int i = 0; i < 2; i++) {
                while (!served(http, ports[i], byDataset).equals(jobB.getModelId().toString())) {
                    Thread.sleep(5);
                }
                servedAfter[i] = (System.nanoTime() - deployed) / 1e6;
            }

            System.out.printf(Locale.ROOT, "%nTwo inference instances and two training workers behind one gateway, %d cores%n",
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "concurrency 32, two instances directly (client round-robin): %s%n", instances[0]);
            System.out.printf(Locale.ROOT, "concurrency 32, one instance directly:                       %s%n", instances[1]);
            System.out.printf(Locale.ROOT, "concurrency 32, through the gateway over both:               %s%n", balanced[0]);
            System.out.printf(Locale.ROOT, "concurrency 32, two instances directly (same run):           %s%n", balanced[1]);
            System.out.printf(Locale.ROOT, "two instances / one: %.2fx; the gateway's balancing / direct round-robin: %.2f%n",
                    instances[0].perSecond() / instances[1].perSecond(), balanced[0].perSecond() / balanced[1].perSecond());
            System.out.printf(Locale.ROOT, "training: one job alone %.1f s; two at once on two workers %.1f s (%s), %.2fx one job%n",
                    aloneSeconds, togetherSeconds, overlapped ? "they ran at the same time" : "they did not overlap",
                    togetherSeconds / aloneSeconds);
            System.out.printf(Locale.ROOT, "deploy through the gateway served by the first instance after %.0f ms, by the second after %.0f ms%n",
                    servedAfter[0], servedAfter[1]);
        }
        System.exit(0);
    }

    private static Supplier<HttpRequest.Builder> direct(int port) {
        return ServingBenchmark.signed("http://127.0.0.1:" + port + "/api/v1/predictions", ServingBenchmark.JSON_BODY);
    }

    /** The model an instance answers a dataset's prediction with, asked directly. */
    private static String served(HttpClient http, int port, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(direct(port).get().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("modelId").stringValue() : "";
    }

    /** A free port whose neighbour {@value Platform#REPLICA_PORT_STEP} above is free too. */
    private static int freePairedPort() throws IOException {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port + Platform.REPLICA_PORT_STEP > 65535) {
                continue;
            }
            try (ServerSocket neighbour = new ServerSocket(port + Platform.REPLICA_PORT_STEP)) {
                return port;
            }
            catch (IOException taken) {
                // try another
            }
        }
    }
}
