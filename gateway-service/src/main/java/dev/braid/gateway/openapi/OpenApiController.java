package dev.braid.gateway.openapi;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /v3/api-docs}: the combined public document, without a key (it holds no secret and no tenant's data). */
@RestController
class OpenApiController {

    private final PublicApiDocument document;

    OpenApiController(PublicApiDocument document) {
        this.document = document;
    }

    @GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<byte[]> document() {
        return document.json();
    }
}
