package dev.braid.gateway.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.braid.gateway.GatewayProperties;

/**
 * The instances of one service (Spring Cloud LoadBalancer makes a context of this per service): the configured URLs,
 * kept to those whose service-port {@code /actuator/health} answers 2xx, checked every
 * {@code spring.cloud.loadbalancer.health-check.interval}. Deliberately not a {@code @Configuration}: it is each
 * load-balancer context's, never the application's.
 */
class StaticInstancesLoadBalancing {

    @Bean
    ServiceInstanceListSupplier healthyInstances(Environment environment, GatewayProperties properties,
            LoadBalancerClientFactory factory) {
        String service = LoadBalancerClientFactory.getName(environment);
        List<ServiceInstance> instances = new ArrayList<>();
        List<URI> urls = properties.services().instances(service);
        for (int i = 0; i < urls.size(); i++) {
            URI url = urls.get(i);
            boolean secure = "https".equals(url.getScheme());
            int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
            instances.add(new DefaultServiceInstance(service + "-" + i, service, url.getHost(), port, secure));
        }
        ServiceInstanceListSupplier configured = new ServiceInstanceListSupplier() {

            @Override
            public String getServiceId() {
                return service;
            }

            @Override
            public Flux<List<ServiceInstance>> get() {
                return Flux.just(List.copyOf(instances));
            }
        };
        WebClient health = WebClient.create();
        return new HealthCheckServiceInstanceListSupplier(configured, factory, (instance, path) -> health.get()
                .uri(instance.getUri().resolve(path))
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().is2xxSuccessful())));
    }
}
