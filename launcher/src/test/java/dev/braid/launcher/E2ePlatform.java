package dev.braid.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.braid.testing.EmbeddedPostgresExtension;

/**
 * One platform for every end-to-end test class in the JVM: the launcher starts the gateway and the four services
 * as processes against one embedded PostgreSQL the first time a class needs it, and stops them once every class has
 * run (then checks no process outlived it). Classes share the platform and the two tenants' keys, never data: each
 * creates the datasets, jobs and models it asserts on, so one class's failure does not fail another.
 */
final class E2ePlatform implements BeforeAllCallback {

    static final String ADMIN_KEY = "e2e-bootstrap-admin-key";
    static final String INTERNAL_SECRET = "e2e-internal-secret-long-enough-for-hmac";
    /**
     * How long a service may take to start, or to come back after a kill: five JVMs starting together on a loaded
     * 2-core machine can take minutes, and waiting is not what is tested.
     */
    static final Duration START_WAIT = Duration.ofMinutes(10);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2ePlatform.class);

    /** The running platform, its gateway, and a member key of tenant acme and one of globex. */
    record Running(Platform platform, Http gateway, String acmeKey, String globexKey) implements AutoCloseable {

        @Override
        public void close() {
            List<Process> processes = new ArrayList<>();
            for (String module : PlatformConfig.MODULES) {
                processes.add(platform.process(module));
            }
            platform.close();
            List<Process> alive = processes.stream().filter(Process::isAlive).toList();
            if (!alive.isEmpty()) {
                throw new AssertionError("processes outlived the platform: " + alive);
            }
        }
    }

    private static Running running;
    /** A start that failed fails every later class at once, rather than each waiting out its own attempt. */
    private static RuntimeException failedStart;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (failedStart != null) {
            throw failedStart;
        }
        try {
            running = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, key -> start(), Running.class);
        }
        catch (RuntimeException ex) {
            failedStart = ex;
            throw ex;
        }
    }

    static Running running() {
        return running;
    }

    private static Running start() {
        try {
            // under target/, so the services' logs are there to read after a failure and go with mvn clean
            Path home = Files.createDirectories(Path.of("target", "e2e-home")).toAbsolutePath();
            home = Files.createTempDirectory(home, "run-");
            Map<String, String> env = new HashMap<>();
            env.put("BRAID_ROOT", Path.of(System.getProperty("user.dir")).getParent().toString());
            env.put("BRAID_HOME", home.toString());
            env.put("BRAID_DATABASE_URL", EmbeddedPostgresExtension.jdbcUrl());
            env.put("BRAID_DATABASE_USER", "postgres");
            env.put("BRAID_DATABASE_PASSWORD", "postgres");
            env.put("BRAID_ADMIN_KEY", ADMIN_KEY);
            env.put("BRAID_INTERNAL_SECRET", INTERNAL_SECRET);
            env.put("BRAID_GATEWAY_RATELIMIT_BURST", "60");
            env.put("BRAID_GATEWAY_RATELIMIT_REQUESTSPERSECOND", "20");
            env.put("BRAID_GATEWAY_MAXBODYSIZE", "2MB");
            env.put("BRAID_GATEWAY_MAXUPLOADSIZE", "4MB");
            env.put("BRAID_CORS_ORIGINS", "https://console.example");
            env.put("BRAID_START_TIMEOUT_SECONDS", Long.toString(START_WAIT.toSeconds()));
            // short leases, so the kill -9 test sees a dead worker's job taken over within seconds; still six heartbeats
            // long, so a worker slowed by a loaded machine does not lose its job to the other before the kill
            env.put("BRAID_TRAINING_WORKER_LEASE", "12s");
            env.put("BRAID_TRAINING_WORKER_HEARTBEAT", "2s");
            // a reconciler that looks every second, and takes a reservation 5 s without a job as orphaned
            env.put("BRAID_TRAINING_RECONCILE_INTERVAL", "1s");
            env.put("BRAID_TRAINING_RECONCILE_RESERVATIONGRACE", "5s");
            // an upload whose service is killed is taken back within seconds: its heartbeat (every 2 s) stops, it is
            // marked abandoned after 12 s and swept, its row one limit later; small batches, so rows exist mid-upload
            env.put("BRAID_DATASET_ABANDONEDUPLOADAFTER", "12s");
            env.put("BRAID_DATASET_SWEEPINTERVAL", "PT1S");
            env.put("BRAID_DATASET_BATCHSIZE", "4");
            // a browser's long follow of a job, compressed: streams end every 4 s and tokens expire after 6 s, so a job of
            // a quarter of a minute sees both the reconnect with Last-Event-ID and the token renewal a 30-minute follow would
            env.put("BRAID_TRAINING_EVENTS_MAXDURATION", "4s");
            env.put("BRAID_TRAINING_EVENTS_HEARTBEAT", "1s");
            env.put("BRAID_GATEWAY_STREAMTOKENTTL", "6s");
            for (String module : PlatformConfig.MODULES) {
                String key = PlatformConfig.key(module);
                env.put("BRAID_" + key + "_PORT", Integer.toString(freePort()));
                env.put("BRAID_" + key + "_MANAGEMENT_PORT", Integer.toString(freePort()));
            }
            Platform platform = Platform.start(env);
            Http gateway = new Http(platform.gatewayUrl());
            return new Running(platform, gateway, PlatformTest.createKey(gateway, "acme", "member"),
                    PlatformTest.createKey(gateway, "globex", "member"));
        }
        catch (IOException | InterruptedException ex) {
            throw new IllegalStateException("the platform did not start", ex);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
