package dev.braid.gateway.upstream;

import java.net.URI;
import java.util.List;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.braid.gateway.GatewayProperties;

/**
 * Where each Braid service is: one URL, or several instances (a comma-separated list, {@code
 * BRAID_INFERENCE_URL=http://a:8083,http://b:8083}) that the gateway balances round-robin among those whose
 * {@code /actuator/health} answered within the last health check ({@link StaticInstancesLoadBalancing}). One URL is
 * routed to directly, as before; in Kubernetes the Service is that one URL and balances itself.
 */
@Component
@LoadBalancerClients(defaultConfiguration = StaticInstancesLoadBalancing.class)
public class ServiceEndpoints {

    private final GatewayProperties.Services services;
    private final LoadBalancedExchangeFilterFunction loadBalancer;

    ServiceEndpoints(GatewayProperties properties, LoadBalancedExchangeFilterFunction loadBalancer) {
        this.services = properties.services();
        this.loadBalancer = loadBalancer;
    }

    /** Where a route sends the service's requests: its URL, or {@code lb://<service>} when it has several instances. */
    public String routeUri(String service) {
        List<URI> instances = services.instances(service);
        return instances.size() == 1 ? instances.get(0).toString() : "lb://" + service;
    }

    /** A client for calls the gateway makes to the service itself, balanced as its routes are; paths are relative. */
    public WebClient.Builder client(String service) {
        List<URI> instances = services.instances(service);
        return instances.size() == 1 ? WebClient.builder().baseUrl(instances.get(0).toString())
                : WebClient.builder().baseUrl("http://" + service).filter(loadBalancer);
    }
}
