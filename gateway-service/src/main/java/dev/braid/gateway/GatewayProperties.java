package dev.braid.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway can be told ({@code braid.gateway.*}).
 *
 * @param services where each service listens
 * @param adminKey the bootstrap admin key ({@code BRAID_ADMIN_KEY}); a random one is made when empty
 * @param bootstrapTenant the tenant the bootstrap admin key belongs to
 * @param keyCacheTtl how long a looked-up key is trusted before it is checked again (bounds how late a revocation bites)
 * @param rateLimit requests per key
 * @param maxBodySize the largest request body accepted (413 above it), record uploads aside
 * @param maxUploadSize the largest record upload ({@code POST /api/v1/datasets/{id}/records}), which services stream
 * @param cors origins allowed to call the API from a browser
 * @param openapi the combined OpenAPI document
 * @param streamTokenTtl how long a job's event-stream token opens (and reopens) its stream
 * @param maxStreamsPerKey event streams one API key may hold open through this gateway at once (429 above); a
 *        revoked key's open streams are closed, here at once and on other replicas within {@code keyCacheTtl}
 */
@Validated
@ConfigurationProperties("braid.gateway")
public record GatewayProperties(
        @Valid @NotNull Services services,
        String adminKey,
        @DefaultValue("default") @NotBlank String bootstrapTenant,
        @DefaultValue("30s") Duration keyCacheTtl,
        @Valid @DefaultValue RateLimit rateLimit,
        @DefaultValue("64MB") DataSize maxBodySize,
        @DefaultValue("4GB") DataSize maxUploadSize,
        @Valid @DefaultValue Cors cors,
        @Valid @DefaultValue OpenApi openapi,
        @DefaultValue("10m") Duration streamTokenTtl,
        @DefaultValue("8") @Min(1) int maxStreamsPerKey) {

    /**
     * Each service's URL, or its instances' URLs separated by commas (the gateway balances among the healthy ones).
     */
    public record Services(@NotBlank String dataset, @NotBlank String training, @NotBlank String inference,
            @NotBlank String privacy) {

        public Services {
            for (String urls : new String[] {dataset, training, inference, privacy}) {
                if (urls != null) {
                    parse(urls);
                }
            }
        }

        /** The service's instances ({@code dataset}, {@code training}, {@code inference} or {@code privacy}). */
        public List<URI> instances(String service) {
            return parse(switch (service) {
                case "dataset" -> dataset;
                case "training" -> training;
                case "inference" -> inference;
                case "privacy" -> privacy;
                default -> throw new IllegalArgumentException("no Braid service " + service);
            });
        }

        private static List<URI> parse(String urls) {
            List<URI> instances = Arrays.stream(urls.split(",")).map(String::strip).filter(url -> !url.isEmpty())
                    .map(URI::create).toList();
            for (URI instance : instances) {
                if (!("http".equals(instance.getScheme()) || "https".equals(instance.getScheme())) || instance.getHost() == null
                        || (instance.getPath() != null && !instance.getPath().isEmpty() && !"/".equals(instance.getPath()))) {
                    throw new IllegalArgumentException("a service's URL is http(s)://host[:port], not " + instance);
                }
            }
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("a service needs at least one URL");
            }
            return instances;
        }
    }

    /**
     * The default token bucket of an API key that has no limit of its own: {@code burst} requests at
     * once, refilled at {@code requestsPerSecond}. Sized above what one client at the serving
     * benchmark's concurrency gets from a two-core machine (about 530 predictions/s at 32 in flight),
     * so the limit stops abuse, not ordinary use; an admin sets a tighter or looser one per key.
     */
    public record RateLimit(@DefaultValue("1000") @Min(1) long requestsPerSecond, @DefaultValue("2000") @Min(1) long burst) {
    }

    /**
     * @param publicUrl the URL clients reach the gateway at: the document's server, so Swagger UI and
     *        generated clients call the gateway, never a service
     * @param cacheTtl how long a merged document is served before the services are asked again
     * @param failureTtl how long a failure to build it (a service down) is answered before they are asked again: an
     *        unauthenticated request may ask for the document, and without this each would fetch five
     * @param fetchTimeout how long one service may take to hand over its document (a service builds it at start-up,
     *        which on a loaded machine can take a while)
     */
    public record OpenApi(@DefaultValue("http://localhost:8080") @NotBlank String publicUrl, @DefaultValue("5m") Duration cacheTtl,
            @DefaultValue("30s") Duration fetchTimeout, @DefaultValue("5s") Duration failureTtl) {
    }

    public record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
    }
}
