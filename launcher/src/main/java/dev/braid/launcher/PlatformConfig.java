package dev.braid.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything {@code ./braid up} is told, from the environment: where state lives, ports, an
 * external database, the admin key, and where the service jars are.
 */
record PlatformConfig(Path home, Path root, int gatewayPort, int datasetPort, int trainingPort, int inferencePort,
        int privacyPort, String databaseUrl, int databasePort, String adminKey, Duration startTimeout, String javaOptions,
        Map<String, Integer> managementPorts) {

    static final String[] MODULES = {"privacy-service", "dataset-service", "inference-service", "training-service",
            "gateway-service"};

    static PlatformConfig fromEnvironment(Map<String, String> env) {
        Path root = Path.of(env.getOrDefault("BRAID_ROOT", ".")).toAbsolutePath().normalize();
        Path home = Path.of(env.getOrDefault("BRAID_HOME", root.resolve(".braid").toString())).toAbsolutePath().normalize();
        return new PlatformConfig(home, root,
                port(env, "BRAID_GATEWAY_PORT", 8080), port(env, "BRAID_DATASET_PORT", 8081),
                port(env, "BRAID_TRAINING_PORT", 8082), port(env, "BRAID_INFERENCE_PORT", 8083),
                port(env, "BRAID_PRIVACY_PORT", 8084), blankToNull(env.get("BRAID_DATABASE_URL")),
                port(env, "BRAID_POSTGRES_PORT", 5439), blankToNull(env.get("BRAID_ADMIN_KEY")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("BRAID_START_TIMEOUT_SECONDS", "180"))),
                env.getOrDefault("BRAID_JAVA_OPTS", ""), Map.of()).withManagementPorts(env);
    }

    /** Each service's management port (actuator: health, info, prometheus): {@code BRAID_<SERVICE>_MANAGEMENT_PORT}, else its port + 1000. */
    private PlatformConfig withManagementPorts(Map<String, String> env) {
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (String module : MODULES) {
            int fallback = port(module) + 1000 <= 65535 ? port(module) + 1000 : 0;
            ports.put(module, port(env, "BRAID_" + key(module) + "_MANAGEMENT_PORT", fallback));
        }
        return new PlatformConfig(home, root, gatewayPort, datasetPort, trainingPort, inferencePort, privacyPort, databaseUrl,
                databasePort, adminKey, startTimeout, javaOptions, Map.copyOf(ports));
    }

    /** The service's part of its settings' names: {@code dataset-service} → {@code DATASET}. */
    static String key(String module) {
        return module.substring(0, module.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
    }

    int managementPort(String module) {
        return managementPorts.get(module);
    }

    int port(String module) {
        return switch (module) {
            case "gateway-service" -> gatewayPort;
            case "dataset-service" -> datasetPort;
            case "training-service" -> trainingPort;
            case "inference-service" -> inferencePort;
            case "privacy-service" -> privacyPort;
            default -> throw new IllegalArgumentException(module);
        };
    }

    /** The runnable jar of a module, {@code <root>/<module>/target/<module>-<version>-exec.jar}. */
    Path jar(String module) {
        Path target = root.resolve(module).resolve("target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        catch (IOException ex) {
            if (!Files.isDirectory(target)) {
                throw new IllegalStateException(module + " is not built: run ./mvnw -DskipTests package (./braid up does it for you)");
            }
            throw new UncheckedIOException(ex);
        }
        throw new IllegalStateException(module + " is not built: run ./mvnw -DskipTests package (./braid up does it for you)");
    }

    Path logs() {
        return home.resolve("logs");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int port = Integer.parseInt(value.strip());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number");
        }
        return port;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
