package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.security.Caller;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.RequestPaths;
import dev.braid.common.security.Role;

/**
 * Calls a service over real HTTP in tests as the gateway would: with a signed internal token for a
 * tenant. {@link #SECRET} is the secret test contexts are started with.
 */
public final class ServiceTestClient {

    /** Pass as {@code braid.platform.internal-secret} to the service under test. */
    public static final String SECRET = "test-internal-secret-of-at-least-32-bytes";
    public static final String SECRET_PROPERTY = "braid.platform.internal-secret=" + SECRET;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final InternalTokenCodec codec = new InternalTokenCodec(SECRET, Duration.ofMinutes(5));

    public ServiceTestClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** A response with its body parsed as JSON where it is JSON. */
    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String tenant) {
        return get(path, tenant, Role.MEMBER.name());
    }

    /** A GET as a caller of the given role ({@code MEMBER} or {@code ADMIN}). */
    public Response get(String path, String tenant, String role) {
        return send(request(path, tenant, Role.valueOf(role)).GET());
    }

    public Response delete(String path, String tenant) {
        return send(request(path, tenant, Role.MEMBER).DELETE());
    }

    public Response postJson(String path, String tenant, Object body) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path, tenant, Role.MEMBER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String tenant, Role role, String contentType, byte[] body) {
        return send(request(path, tenant, role).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * A POST whose body the caller writes, chunk by chunk, as slowly as it likes: each flush of the
     * connection's output stream sends what was written. (The JDK client reads a streamed body on the
     * thread that would send it, so a body that pauses would not be sent at all.)
     */
    public java.net.HttpURLConnection openPost(String path, String tenant, String contentType) throws IOException {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(8192);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setRequestProperty(InternalTokenCodec.HEADER, codec.issue(tenant, Role.MEMBER, "test-key", "test-request"));
        return connection;
    }

    /** A GET whose response the caller reads as it comes (an event stream), and may drop at any point. */
    public java.net.HttpURLConnection openGet(String path, String tenant) throws IOException {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        connection.setRequestProperty(InternalTokenCodec.HEADER, codec.issue(tenant, Role.MEMBER, "test-key", "test-request"));
        connection.setReadTimeout(60_000);
        return connection;
    }

    /** A request without any internal token, as if someone called the service port directly. */
    public Response getWithoutToken(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /**
     * A POST to an {@code /internal/**} path with a client's token, as the gateway forwards one: the
     * service must refuse it, however the request got there.
     */
    public Response postJsonWithClientToken(String path, String tenant, Object body) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header(InternalTokenCodec.HEADER, codec.issue(tenant, Role.MEMBER, "test-key", "test-request"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A request with the token its path would carry in the platform: a service's under /internal, a client's elsewhere. */
    private HttpRequest.Builder request(String path, String tenant, Role role) {
        boolean internal = RequestPaths.isUnder(RequestPaths.normalise(URI.create(path).getRawPath()), "/internal");
        Caller caller = new Caller(tenant, role, "test-key", "test-request", java.time.Instant.now());
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header(InternalTokenCodec.HEADER, internal ? codec.issueForService(caller)
                        : codec.issue(tenant, role, "test-key", "test-request"));
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
