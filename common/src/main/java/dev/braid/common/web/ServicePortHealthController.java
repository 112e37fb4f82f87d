package dev.braid.common.web;

import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /actuator/health} on the service port, status only, as the public contract promises on every service
 * and the gateway, while the actuator itself (details, probes, info, prometheus) lives on the management port.
 * 503 when the service is down or out of service, as the actuator answers.
 */
@RestController
public class ServicePortHealthController {

    private final HealthEndpoint health;

    public ServicePortHealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(path = "/actuator/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, String>> health() {
        return statusOf(health.health().getStatus());
    }

    /** The body and HTTP status the actuator would give for this status, without details. */
    public static ResponseEntity<Map<String, String>> statusOf(Status status) {
        boolean serving = !Status.DOWN.equals(status) && !Status.OUT_OF_SERVICE.equals(status);
        return ResponseEntity.status(serving ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", status.getCode()));
    }
}
