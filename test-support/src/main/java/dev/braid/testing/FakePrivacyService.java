package dev.braid.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.security.Caller;
import dev.braid.common.security.InternalTokenCodec;

/**
 * A stand-in for the privacy service's internal key and budget API, so a service that needs data
 * keys (dataset, inference) can be tested on its own over real HTTP. It checks the internal token like the real one and keeps keys
 * per tenant and dataset. It also takes the training and inference services' revocation call for
 * a deleted dataset ({@code /internal/datasets/{id}/revoke}) and remembers it, so the dataset
 * service's deletion can be tested alone too. The end-to-end test runs against the real services.
 */
public final class FakePrivacyService implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final InternalTokenCodec codec = new InternalTokenCodec(ServiceTestClient.SECRET, Duration.ofMinutes(1));
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Map<String, Boolean> destroyed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> revoked = new ConcurrentHashMap<>();
    private final Map<String, com.sun.net.httpserver.Headers> lastHeaders = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private static FakePrivacyService shared;

    /** One per test JVM, like the embedded PostgreSQL, so cached Spring contexts never point at a stopped one. */
    public static synchronized FakePrivacyService shared() {
        if (shared == null) {
            try {
                shared = new FakePrivacyService();
            }
            catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        return shared;
    }

    private FakePrivacyService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates (or returns) a dataset's data key directly, for a test that seals something the service will open. */
    public byte[] dataKey(String tenant, String datasetId) {
        return keys.computeIfAbsent(tenant + "/" + datasetId, id -> {
            byte[] key = new byte[32];
            random.nextBytes(key);
            return key;
        }).clone();
    }

    /** Whether the dataset's models and jobs were revoked, before its key was destroyed. */
    public boolean wasRevokedBeforeItsKeyWasDestroyed(String tenant, String datasetId) {
        return Boolean.FALSE.equals(revoked.get(tenant + "/" + datasetId));
    }

    /** A header of the last request to {@code method path} (e.g. {@code POST /internal/keys/data-keys/<id>}), or null. */
    public String lastHeader(String method, String path, String header) {
        com.sun.net.httpserver.Headers headers = lastHeaders.get(method + " " + path);
        return headers == null ? null : headers.getFirst(header);
    }

    public boolean isDestroyed(String tenant, String datasetId) {
        return destroyed.containsKey(tenant + "/" + datasetId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Optional<Caller> caller = codec.verify(exchange.getRequestHeaders().getFirst(InternalTokenCodec.HEADER));
        if (caller.isEmpty()) {
            respond(exchange, 401, "{}");
            return;
        }
        if (!caller.get().service()) {
            respond(exchange, 403, "{}"); // as the real service: internal endpoints take service tokens only
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        lastHeaders.put(method + " " + path, exchange.getRequestHeaders());
        exchange.getRequestBody().readAllBytes();
        if (path.equals("/internal/budgets") && method.equals("POST")) {
            respond(exchange, 201, "{}");
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 5 && parts[2].equals("datasets") && parts[4].equals("revoke") && method.equals("POST")) {
            String dataset = caller.get().tenant() + "/" + parts[3];
            revoked.put(dataset, destroyed.containsKey(dataset)); // false: revoked while the key still existed
            // what inference (ModelRegistryApi.RevokedModels) and training (TrainingJobsApi.CancelledJobs) answer, in one
            respond(exchange, 200, "{\"datasetId\":\"" + parts[3] + "\",\"modelsRevoked\":0,\"jobsCancelled\":0}");
            return;
        }
        if (parts.length < 5 || !parts[3].equals("data-keys")) {
            respond(exchange, 404, "{}");
            return;
        }
        String id = caller.get().tenant() + "/" + parts[4];
        if (method.equals("POST") && parts.length == 5) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            if (keys.putIfAbsent(id, key) != null || destroyed.containsKey(id)) {
                respond(exchange, 409, "{}");
                return;
            }
            byte[] wrapped = new byte[60];
            random.nextBytes(wrapped);
            respond(exchange, 201, JSON.writeValueAsString(new DataKeysApi.CreatedDataKey(UUID.fromString(parts[4]),
                    Base64.getEncoder().encodeToString(key), Base64.getEncoder().encodeToString(wrapped), 1)));
        }
        else if (method.equals("POST") && parts.length == 6 && parts[5].equals("unwrap")) {
            byte[] key = keys.get(id);
            if (key == null) {
                respond(exchange, destroyed.containsKey(id) ? 410 : 404, "{}");
                return;
            }
            respond(exchange, 200, JSON.writeValueAsString(new DataKeysApi.DataKey(UUID.fromString(parts[4]),
                    Base64.getEncoder().encodeToString(key))));
        }
        else if (method.equals("DELETE") && parts.length == 5) {
            if (keys.remove(id) != null) {
                destroyed.put(id, true);
            }
            respond(exchange, 204, null);
        }
        else {
            respond(exchange, 404, "{}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
