package dev.braid.benchmarks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

import dev.braid.launcher.Platform;

/**
 * What the gateway adds to a request, apart from the model: a prediction's body (text and a 64×64 PNG, base64)
 * for a model that does not exist, answered 404 by the inference service once it has read and parsed the body,
 * through the gateway and directly (signed as the gateway signs), side by side at the same concurrency. No model
 * runs, so the gateway's own cost is not hidden behind the model's on two cores.
 * {@code java -cp benchmarks/target/benchmarks-*-exec.jar -Dloader.main=dev.braid.benchmarks.GatewayBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher [seconds per measurement]}
 */
public final class GatewayBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Map<String, String> env = ServingBenchmark.environment(ServingBenchmark.home("gateway-benchmark"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (Platform platform = Platform.start(env)) {
            String gateway = platform.gatewayUrl();
            String key = ServingBenchmark.memberKey(gateway);
            byte[] body = JSON.writeValueAsBytes(ServingBenchmark.payload(UUID.randomUUID().toString()));
            Supplier<HttpRequest.Builder> viaDirect = ServingBenchmark.signed(
                    "http://127.0.0.1:" + platform.port("inference-service") + "/api/v1/predictions", ServingBenchmark.JSON_BODY);
            Supplier<HttpRequest.Builder> viaGateway = ServingBenchmark.viaGateway(gateway, key);
            // the JIT warm on both paths before anything is measured
            ServingBenchmark.load(http, viaDirect, body, 8, 20, 404);
            ServingBenchmark.load(http, viaGateway, body, 8, 20, 404);
            System.out.printf(Locale.ROOT, "%nA prediction's body (%d bytes) answered 404 by the inference service, closed loop, "
                    + "%d s per way in 6 alternating rounds, %d cores%n", body.length, seconds,
                    Runtime.getRuntime().availableProcessors());
            for (int c : new int[] {1, 8}) {
                ServingBenchmark.Stats[] s = ServingBenchmark.sideBySide(http, viaGateway, viaDirect, body, c, seconds, 6, 404);
                System.out.printf(Locale.ROOT, "concurrency %d  gateway: %s%nconcurrency %d  direct:  %s%n", c, s[0], c, s[1]);
                System.out.printf(Locale.ROOT, "gateway added latency at concurrency %d: p50 %.2f ms%n", c, s[0].p50() - s[1].p50());
            }
        }
        System.exit(0);
    }
}
