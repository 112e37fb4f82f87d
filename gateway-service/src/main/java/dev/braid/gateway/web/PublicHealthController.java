package dev.braid.gateway.web;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.braid.common.web.ServicePortHealthController;

/**
 * The gateway's public {@code GET /actuator/health}: status only, on the public port, while the actuator itself is
 * on the management port. The check reads the API-key database, so it runs off the event loop.
 */
@RestController
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class PublicHealthController {

    private final HealthEndpoint health;

    PublicHealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(path = "/actuator/health", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, String>>> health() {
        return Mono.fromCallable(() -> ServicePortHealthController.statusOf(health.health().getStatus()))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
