package dev.braid.gateway.openapi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.gateway.GatewayProperties;
import dev.braid.gateway.upstream.ServiceEndpoints;

/**
 * Fetches the gateway's and each service's document, merges them and keeps the result for
 * {@code braid.gateway.openapi.cache-ttl}. A service that does not answer makes the document a
 * 503 rather than a partial one: a client generated from half the API is worse than none. The 503
 * is kept too, for {@code failure-ttl}, so requests for the document while a service is down cost
 * one round of fetches per period, not five fetches each.
 */
@Component
public class PublicApiDocument {

    /** Where springdoc serves the gateway's own operations (the API keys); {@code /v3/api-docs} is the merged one. */
    static final String GATEWAY_DOCUMENT = "/openapi/gateway";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int MAX_DOCUMENT = 8 * 1024 * 1024;

    private final WebClient http;
    private final ServiceEndpoints services;
    private final InternalTokenCodec codec;
    private final GatewayProperties properties;
    private final Environment environment;
    private final Mono<byte[]> cached;

    PublicApiDocument(InternalTokenCodec codec, GatewayProperties properties, Environment environment, ServiceEndpoints services) {
        this.http = WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_DOCUMENT)).build();
        this.services = services;
        this.codec = codec;
        this.properties = properties;
        this.environment = environment;
        Duration ttl = properties.openapi().cacheTtl();
        Duration failureTtl = properties.openapi().failureTtl();
        this.cached = Mono.defer(this::build).cache(document -> ttl, error -> failureTtl, () -> Duration.ZERO);
    }

    /** The merged document's JSON. */
    public Mono<byte[]> json() {
        return cached;
    }

    private Mono<byte[]> build() {
        String self = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
        List<Mono<Map.Entry<String, JsonNode>>> fetches = List.of(
                fetch("gateway", http, self + GATEWAY_DOCUMENT),
                fetch("dataset service", "dataset"),
                fetch("training service", "training"),
                fetch("inference service", "inference"),
                fetch("privacy service", "privacy"));
        return Flux.mergeSequential(fetches)
                .collectList()
                // two services down at once fail together: report the first, as the 503 it is
                .onErrorMap(Exceptions::isMultiple, ex -> Exceptions.unwrapMultiple(ex).get(0))
                .map(parts -> {
                    Map<String, JsonNode> documents = new LinkedHashMap<>();
                    parts.forEach(part -> documents.put(part.getKey(), part.getValue()));
                    return JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(DocumentMerger.merge(documents, properties.openapi().publicUrl()));
                });
    }

    /** A service's document, from any of its instances (they serve the same one). */
    private Mono<Map.Entry<String, JsonNode>> fetch(String name, String service) {
        return fetch(name, services.client(service).codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_DOCUMENT)).build(),
                "/v3/api-docs");
    }

    private Mono<Map.Entry<String, JsonNode>> fetch(String name, WebClient client, String url) {
        return client.get().uri(url)
                .header(InternalTokenCodec.HEADER, codec.issue("system", Role.MEMBER, "gateway", null))
                .retrieve()
                .bodyToMono(byte[].class)
                .timeout(properties.openapi().fetchTimeout())
                .map(body -> Map.entry(name, JSON.readTree(body)))
                .onErrorMap(ex -> ex instanceof WebClientRequestException || ex instanceof WebClientResponseException
                        || ex instanceof java.util.concurrent.TimeoutException, ex -> ServiceUnavailable.of(name));
    }
}
