package dev.braid.inference.web;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.openapi.Problems;
import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.inference.registry.ModelRegistry;

/**
 * The serving metrics (queue time, batch size, latency per model; models loaded; JVM) in the
 * Prometheus text format, through the gateway. A tenant's admin sees its own models' series only;
 * the platform operator sees everything, the JVM and other tenants included. The service port
 * itself answers only to signed internal requests, like every other endpoint but health.
 */
@RestController
class MetricsController {

    private final PrometheusMeterRegistry registry;
    private final ModelRegistry models;

    MetricsController(PrometheusMeterRegistry registry, ModelRegistry models) {
        this.registry = registry;
        this.models = models;
    }

    @GetMapping(path = "/api/v1/admin/metrics/inference", produces = "text/plain; version=0.0.4; charset=utf-8")
    @Tag(name = "Administration")
    @Operation(operationId = "getInferenceMetrics", summary = "Serving metrics in the Prometheus text format (admins)",
            description = "A tenant's admin sees its own models' series; the platform operator sees everything.")
    @Problems(403)
    String scrape() {
        Caller caller = CallerContext.requireAdmin();
        if (caller.isOperator()) {
            return registry.scrape();
        }
        Set<String> own = models.modelIds().stream().map(Object::toString).collect(Collectors.toSet());
        return PrometheusText.onlyModels(registry.scrape(), own);
    }
}
