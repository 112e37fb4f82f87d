package dev.braid.inference.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.security.CallerContext;

/**
 * The serving metrics (queue time, batch size, latency per model; models loaded; JVM) in the
 * Prometheus text format, for admin keys through the gateway. The service port itself answers
 * only to signed internal requests, like every other endpoint but health.
 */
@RestController
class MetricsController {

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(path = "/api/v1/admin/metrics/inference", produces = "text/plain; version=0.0.4; charset=utf-8")
    String scrape() {
        CallerContext.requireAdmin();
        return registry.scrape();
    }
}
