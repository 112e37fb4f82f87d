package dev.braid.gateway.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.braid.gateway.upstream.ServiceEndpoints;

/**
 * The public routes of {@code shared/API.md}, each to its service, paths unchanged; the services'
 * {@code /internal/**} endpoints have no route and so cannot be reached from outside. Each
 * service's OpenAPI document is served at {@code /openapi/{service}} for Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

    @Bean
    RouteLocator braidRoutes(RouteLocatorBuilder builder, ServiceEndpoints services,
            InternalTokenGatewayFilterFactory internalToken) {
        var token = internalToken.apply(new InternalTokenGatewayFilterFactory.Config());
        return builder.routes()
                .route("datasets", r -> r.path("/api/v1/datasets", "/api/v1/datasets/**")
                        .filters(f -> f.filter(token)).uri(services.routeUri("dataset")))
                .route("training-jobs", r -> r.path("/api/v1/training-jobs", "/api/v1/training-jobs/**")
                        .filters(f -> f.filter(token)).uri(services.routeUri("training")))
                .route("models", r -> r.path("/api/v1/models", "/api/v1/models/**", "/api/v1/predictions",
                        "/api/v1/predictions/**").filters(f -> f.filter(token)).uri(services.routeUri("inference")))
                .route("privacy", r -> r.path("/api/v1/privacy/**")
                        .filters(f -> f.filter(token)).uri(services.routeUri("privacy")))
                .route("metrics-inference", r -> r.path("/api/v1/admin/metrics/inference")
                        .filters(f -> f.filter(token)).uri(services.routeUri("inference")))
                .build();
    }
}
