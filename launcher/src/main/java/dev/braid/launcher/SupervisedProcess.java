package dev.braid.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service as a child process, supervised: when it dies on its own it is started again after
 * a backoff that doubles from 1 s to 30 s (and resets once a run has lasted a minute). Output
 * goes to {@code $BRAID_HOME/logs/<service>.log}; the pid to {@code $BRAID_HOME/run/<service>.pid}.
 */
final class SupervisedProcess {

    private static final Logger log = LoggerFactory.getLogger(SupervisedProcess.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofMinutes(1);

    private final ServiceSpec spec;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Path pidFile;
    private final String javaOptions;
    private volatile Process process;
    private volatile boolean stopping;
    private int restarts;
    private Thread watcher;

    SupervisedProcess(ServiceSpec spec, Map<String, String> environment, PlatformConfig config) {
        this.spec = spec;
        this.environment = environment;
        this.logFile = config.logs().resolve(spec.name() + ".log");
        this.pidFile = config.home().resolve("run").resolve(spec.name() + ".pid");
        this.javaOptions = config.javaOptions();
    }

    ServiceSpec spec() {
        return spec;
    }

    int restarts() {
        return restarts;
    }

    synchronized void start() throws IOException {
        launch();
        watcher = new Thread(this::supervise, "supervise-" + spec.name());
        watcher.setDaemon(true);
        watcher.start();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + spec.maxHeap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dai.djl.offline=true");
        for (String option : javaOptions.split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.add("-jar");
        command.add(spec.jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // MKL's matrix products then give the same bits whatever their buffers' alignment: a resumed
        // training run is exact (the operator's own setting wins)
        builder.environment().putIfAbsent("MKL_CBWR", "AUTO,STRICT");
        builder.environment().putAll(environment);
        builder.environment().putAll(spec.environment());
        process = builder.start();
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, Long.toString(process.pid()));
        log.info("Started {} (pid {}, port {})", spec.name(), process.pid(), spec.port());
    }

    private void supervise() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            Process current = process;
            long started = System.nanoTime();
            int code;
            try {
                code = current.waitFor();
            }
            catch (InterruptedException ex) {
                return;
            }
            if (stopping) {
                return;
            }
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(STABLE) > 0) {
                backoff = Duration.ofSeconds(1);
            }
            restarts++;
            log.warn("{} exited with code {}; restarting in {} s (restart {}; see {})", spec.name(), code,
                    backoff.toSeconds(), restarts, logFile);
            try {
                Thread.sleep(backoff.toMillis());
                synchronized (this) {
                    if (stopping) {
                        return;
                    }
                    launch();
                }
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (IOException ex) {
                log.error("Could not restart {}: {}", spec.name(), ex.toString());
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** The running process (it changes on restart). */
    Process process() {
        return process;
    }

    /** Asks the child to shut down (SIGTERM, so Spring closes gracefully), then forces it after the grace period. */
    void stop(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        if (watcher != null) {
            watcher.interrupt();
        }
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroy();
        try {
            if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {} s; killing it", spec.name(), grace.toSeconds());
                current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        }
        catch (IOException ignored) {
            // a stale pid file only makes 'braid down' look for a process that is gone
        }
        log.info("Stopped {}", spec.name());
    }
}
