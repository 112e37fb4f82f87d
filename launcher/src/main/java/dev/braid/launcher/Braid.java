package dev.braid.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./braid up | down | status | demo}, and the API's commands ({@link dev.braid.launcher.cli.BraidCli}). */
public final class Braid {

    private static final Logger log = LoggerFactory.getLogger(Braid.class);

    private Braid() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        int code = switch (command) {
            case "up" -> up();
            case "down" -> down();
            case "status" -> status();
            case "demo" -> Demo.run(java.util.List.of(args).subList(1, args.length));
            case "datasets", "jobs", "models", "predict", "--help", "-h" -> dev.braid.launcher.cli.BraidCli.run(args, System.getenv(),
                    new java.io.PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8));
            default -> {
                System.out.println("usage: braid up | down | status | demo | datasets | jobs | models | predict (--help for each)");
                yield command.equals("help") ? 0 : 2;
            }
        };
        System.exit(code);
    }

    private static int up() throws Exception {
        PlatformConfig config = PlatformConfig.fromEnvironment(System.getenv());
        Path pidFile = config.home().resolve("run").resolve("braid.pid");
        Optional<ProcessHandle> running = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (running.isPresent()) {
            System.err.println("Braid is already running (pid " + running.get().pid() + "); ./braid down stops it");
            return 1;
        }
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        CountDownLatch stopped = new CountDownLatch(1);
        Platform platform;
        try {
            platform = Platform.start(System.getenv());
        }
        catch (RuntimeException | IOException ex) {
            log.error("Braid failed to start: {}", ex.getMessage());
            Files.deleteIfExists(pidFile);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping Braid");
            platform.close();
            try {
                Files.deleteIfExists(pidFile);
            }
            catch (IOException ignored) {
                // nothing left to clean
            }
            stopped.countDown();
        }, "braid-stop"));
        Path adminKey = platform.home().resolve("admin.key");
        System.out.println();
        System.out.println("Braid is up: " + platform.gatewayUrl());
        System.out.println("  health:     " + platform.gatewayUrl() + "/actuator/health");
        System.out.println("  API docs:   " + platform.gatewayUrl() + "/swagger-ui.html");
        System.out.println("  admin key:  " + (config.adminKey() != null ? "the value of BRAID_ADMIN_KEY"
                : Files.exists(adminKey) ? adminKey + " (mode 0600)" : "created earlier; see " + adminKey));
        System.out.println("  logs:       " + platform.home().resolve("logs"));
        System.out.println("  metrics:    http://127.0.0.1:<port>/actuator/prometheus on each service's management port: "
                + String.join(", ", java.util.Arrays.stream(PlatformConfig.MODULES)
                        .map(m -> m.substring(0, m.indexOf('-')) + " " + platform.managementPort(m)).toList()));
        System.out.println("Ctrl-C or ./braid down stops it.");
        Files.writeString(platform.home().resolve("run").resolve("ready"), platform.gatewayUrl(), StandardCharsets.UTF_8);
        stopped.await();
        return 0;
    }

    /** Stops the running platform, then makes sure no child it started survives (even if the supervisor was killed). */
    private static int down() throws Exception {
        PlatformConfig config = PlatformConfig.fromEnvironment(System.getenv());
        Path run = config.home().resolve("run");
        Optional<ProcessHandle> supervisor = readPid(run.resolve("braid.pid")).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive);
        if (supervisor.isPresent()) {
            System.out.println("Stopping Braid (pid " + supervisor.get().pid() + ")");
            supervisor.get().destroy();
            try {
                supervisor.get().onExit().get(90, TimeUnit.SECONDS);
            }
            catch (java.util.concurrent.TimeoutException ex) {
                supervisor.get().destroyForcibly();
            }
        }
        int leftovers = 0;
        if (Files.isDirectory(run)) {
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(run, "*.pid")) {
                for (Path pid : pids) {
                    Optional<ProcessHandle> child = readPid(pid).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
                    if (child.isPresent() && !pid.getFileName().toString().equals("braid.pid")) {
                        leftovers++;
                        child.get().destroy();
                        child.get().onExit().get(30, TimeUnit.SECONDS);
                    }
                    Files.deleteIfExists(pid);
                }
            }
            Files.deleteIfExists(run.resolve("ready"));
        }
        leftovers += stopOrphanedPostgres(config.home().resolve("postgres"));
        System.out.println(supervisor.isPresent() || leftovers > 0 ? "Braid is stopped" : "Braid was not running");
        return 0;
    }

    /** A supervisor killed with -9 leaves its embedded PostgreSQL running; its postmaster.pid names it. */
    private static int stopOrphanedPostgres(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return 0;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
        Optional<ProcessHandle> postgres = parse(first).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (postgres.isEmpty()) {
            return 0;
        }
        postgres.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
        postgres.get().onExit().get(60, TimeUnit.SECONDS);
        return 1;
    }

    private static int status() throws IOException {
        PlatformConfig config = PlatformConfig.fromEnvironment(System.getenv());
        Optional<ProcessHandle> supervisor = readPid(config.home().resolve("run").resolve("braid.pid"))
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        System.out.println(supervisor.map(p -> "Braid is running (pid " + p.pid() + "): http://localhost:" + config.gatewayPort())
                .orElse("Braid is not running"));
        return supervisor.isPresent() ? 0 : 3;
    }

    private static Optional<Long> readPid(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return parse(Files.readString(file).strip());
    }

    private static Optional<Long> parse(String value) {
        try {
            return Optional.of(Long.parseLong(value));
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }
}
