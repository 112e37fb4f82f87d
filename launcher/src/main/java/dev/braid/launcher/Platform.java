package dev.braid.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running platform: database, the four services and the gateway in front. Started in
 * dependency order and waited on until each answers its health check; closed in reverse.
 */
public final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final PlatformConfig config;
    private final Database database;
    private final List<SupervisedProcess> processes;

    private Platform(PlatformConfig config, Database database, List<SupervisedProcess> processes) {
        this.config = config;
        this.database = database;
        this.processes = processes;
    }

    /** Starts everything for the given environment (the variables of the README) and waits until it is healthy. */
    public static Platform start(Map<String, String> environment) throws IOException, InterruptedException {
        PlatformConfig config = PlatformConfig.fromEnvironment(environment);
        Files.createDirectories(config.logs());
        String secret = Secrets.internalSecret(config.home(), environment.get("BRAID_INTERNAL_SECRET"));
        List<ServiceSpec> specs = specs(config, replicas(environment));
        Database database = Database.start(config);
        List<SupervisedProcess> processes = new ArrayList<>();
        Platform platform = new Platform(config, database, processes);
        try {
            Map<String, String> shared = new HashMap<>();
            // every BRAID_* setting reaches the services (e.g. BRAID_GATEWAY_RATELIMIT_BURST); the ones below win
            environment.forEach((name, value) -> {
                if (name.startsWith("BRAID_") && !name.equals("BRAID_ADMIN_KEY")) {
                    shared.put(name, value);
                }
            });
            shared.put("BRAID_HOME", config.home().toString());
            shared.put("BRAID_DATABASE_URL", database.url());
            shared.put("BRAID_INTERNAL_SECRET", secret);
            shared.put("BRAID_SUPERVISOR_PID", Long.toString(ProcessHandle.current().pid()));
            for (String module : PlatformConfig.MODULES) {
                String key = PlatformConfig.key(module);
                shared.put("BRAID_" + key + "_PORT", Integer.toString(config.port(module)));
                shared.put("BRAID_" + key + "_MANAGEMENT_PORT", Integer.toString(config.managementPort(module)));
                shared.put("BRAID_" + key + "_URL", "http://127.0.0.1:" + config.port(module));
            }
            for (ServiceSpec spec : specs) {
                SupervisedProcess process = new SupervisedProcess(spec, shared, config);
                processes.add(process);
                process.start();
            }
            for (SupervisedProcess process : processes) {
                awaitHealthy(process, config.startTimeout());
            }
            return platform;
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            platform.close();
            throw ex;
        }
    }

    /**
     * How many instances of each service to run: {@code BRAID_<SERVICE>_REPLICAS}, 1 to 8 (the gateway: 1). Instance
     * {@code n} (from 2) is named {@code <service>-n} and listens on the service's ports + 10 × (n - 1).
     */
    static Map<String, Integer> replicas(Map<String, String> environment) {
        Map<String, Integer> replicas = new HashMap<>();
        for (String module : PlatformConfig.MODULES) {
            String name = "BRAID_" + PlatformConfig.key(module) + "_REPLICAS";
            String value = environment.getOrDefault(name, "1").strip();
            int count;
            try {
                count = Integer.parseInt(value);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be a number, not " + value);
            }
            int most = module.equals("gateway-service") ? 1 : MAX_REPLICAS;
            if (count < 1 || count > most) {
                throw new IllegalArgumentException(name + " must be between 1 and " + most + ", not " + count);
            }
            replicas.put(module, count);
        }
        return replicas;
    }

    private static final int MAX_REPLICAS = 8;
    /** How far apart a service's instances' ports are: instance n listens on the service's ports + this × (n - 1). */
    public static final int REPLICA_PORT_STEP = 10;

    /** The port of a service's instance {@code n} (0 the first), from the first instance's. */
    private static int instancePort(int first, int n) {
        return first + REPLICA_PORT_STEP * n;
    }

    private static List<ServiceSpec> specs(PlatformConfig config, Map<String, Integer> replicas) {
        List<ServiceSpec> specs = new ArrayList<>();
        Map<String, String> instanceUrls = new HashMap<>();
        for (String module : PlatformConfig.MODULES) {
            String key = PlatformConfig.key(module);
            List<String> urls = new ArrayList<>();
            for (int n = 0; n < replicas.get(module); n++) {
                urls.add("http://127.0.0.1:" + instancePort(config.port(module), n));
            }
            instanceUrls.put("BRAID_" + key + "_URL", String.join(",", urls));
        }
        for (String module : PlatformConfig.MODULES) {
            String heap = switch (module) {
                case "training-service" -> "2g";
                case "inference-service" -> "1g";
                default -> "512m";
            };
            String key = PlatformConfig.key(module);
            for (int n = 0; n < replicas.get(module); n++) {
                Map<String, String> env = new HashMap<>();
                if (module.equals("gateway-service")) {
                    // the gateway balances among every instance; the services call one another at the first
                    env.putAll(instanceUrls);
                    if (config.adminKey() != null) {
                        env.put("BRAID_ADMIN_KEY", config.adminKey());
                    }
                }
                int port = instancePort(config.port(module), n);
                if (n > 0) {
                    env.put("BRAID_" + key + "_PORT", Integer.toString(port));
                    env.put("BRAID_" + key + "_MANAGEMENT_PORT", Integer.toString(instancePort(config.managementPort(module), n)));
                }
                String name = n == 0 ? module : module + "-" + (n + 1);
                specs.add(new ServiceSpec(name, config.jar(module), port, heap, Map.copyOf(env)));
            }
        }
        return specs;
    }

    private static void awaitHealthy(SupervisedProcess process, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(process.spec().healthUrl()))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    log.info("{} is healthy", process.spec().name());
                    return;
                }
            }
            catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(process.spec().name() + " did not become healthy within " + timeout.toSeconds()
                + " s; see " + process.spec().name() + ".log under " + "BRAID_HOME/logs");
    }

    public String gatewayUrl() {
        return "http://localhost:" + config.gatewayPort();
    }

    public java.nio.file.Path home() {
        return config.home();
    }

    /** The current process of a service, for tests that need to see or kill it. */
    public Process process(String module) {
        return processes.stream().filter(p -> p.spec().name().equals(module)).findFirst().orElseThrow().process();
    }

    public int restarts(String module) {
        return processes.stream().filter(p -> p.spec().name().equals(module)).findFirst().orElseThrow().restarts();
    }

    public int port(String module) {
        return config.port(module);
    }

    /** The service's actuator port (health with details, info, prometheus), on loopback unless configured otherwise. */
    public int managementPort(String module) {
        return config.managementPort(module);
    }

    /** Stops the gateway first (no new requests), then the services in reverse, then the database. */
    @Override
    public void close() {
        List<SupervisedProcess> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        for (SupervisedProcess process : reversed) {
            process.stop(STOP_GRACE);
        }
        database.close();
    }
}
