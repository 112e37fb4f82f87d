package dev.braid.common;

import io.micrometer.observation.ObservationRegistry;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.cfg.MultiTenancySettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.blob.FileSystemBlobStore;
import dev.braid.common.blob.S3BlobStore;
import dev.braid.common.lifecycle.SupervisorWatchdog;
import dev.braid.common.openapi.ProblemDocumentation;
import dev.braid.common.persistence.CallerTenantResolver;
import dev.braid.common.persistence.JsonColumns;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.InternalTokenFilter;
import dev.braid.common.web.RequestIdFilter;
import dev.braid.common.web.ServiceClients;
import dev.braid.common.web.ServicePortHealthController;

/** Wires what every Braid service shares; servlet services also get the request-id and internal-token filters. */
@AutoConfiguration
@EnableConfigurationProperties(PlatformProperties.class)
@PropertySource("classpath:braid-platform.properties")
public class BraidPlatformAutoConfiguration {

    BraidPlatformAutoConfiguration(PlatformProperties properties) {
        if (properties.supervisorPid() > 0) {
            SupervisorWatchdog.watch(properties.supervisorPid());
        }
    }

    @Bean
    @ConditionalOnMissingBean
    InternalTokenCodec internalTokenCodec(PlatformProperties properties) {
        return new InternalTokenCodec(properties.internalSecret(), properties.internalTokenTtl());
    }

    @Bean
    @ConditionalOnMissingBean
    BlobStore blobStore(PlatformProperties properties) {
        return switch (properties.blobStore()) {
            case "filesystem" -> new FileSystemBlobStore(properties.effectiveBlobRoot());
            case "s3" -> s3BlobStore(properties.s3());
            default -> throw new IllegalStateException(
                    "braid.platform.blob-store must be filesystem or s3, not " + properties.blobStore());
        };
    }

    private static BlobStore s3BlobStore(PlatformProperties.S3 s3) {
        if (!ClassUtils.isPresent("software.amazon.awssdk.services.s3.S3Client", BraidPlatformAutoConfiguration.class.getClassLoader())) {
            throw new IllegalStateException("braid.platform.blob-store=s3 needs software.amazon.awssdk:s3 on the classpath");
        }
        if (s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalStateException("braid.platform.blob-store=s3 needs braid.platform.s3.bucket (BRAID_S3_BUCKET)");
        }
        return S3BlobStore.connect(s3.endpoint(), s3.region(), s3.pathStyle(), s3.bucket(), s3.prefix(), s3.createBucket());
    }

    @Bean
    @ConditionalOnMissingBean
    ServiceClients serviceClients(InternalTokenCodec codec, PlatformProperties properties,
            ObjectProvider<ObservationRegistry> observations) {
        return new ServiceClients(codec, properties.serviceCalls(), observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /**
     * The services' {@code @HttpExchange} clients ({@code dev.braid.common.internalapi}), imported per service as
     * HTTP service groups with {@code @ImportHttpServices}: each group's client calls as a Braid service
     * ({@link ServiceClients#configure}), after Boot's own settings for the group (its base URL).
     */
    @Bean
    RestClientHttpServiceGroupConfigurer braidServiceGroups(ServiceClients clients) {
        return new RestClientHttpServiceGroupConfigurer() {

            @Override
            public void configureGroups(Groups<RestClient.Builder> groups) {
                groups.forEachClient((group, builder) -> clients.configure(builder));
            }

            @Override
            public int getOrder() {
                return Ordered.LOWEST_PRECEDENCE;
            }
        };
    }

    /** The problem schema and responses in the service's OpenAPI document, where springdoc is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.GlobalOperationCustomizer")
    static class OpenApiConfiguration {

        @Bean
        ProblemDocumentation problemDocumentation() {
            return new ProblemDocumentation();
        }
    }

    /** Hibernate's {@code @TenantId} resolved from the caller, and JSON columns through Jackson 3, where a service uses JPA. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer")
    static class JpaConfiguration {

        @Bean
        HibernatePropertiesCustomizer braidJpaSettings() {
            return properties -> {
                properties.put(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER, new CallerTenantResolver());
                properties.put(MappingSettings.JSON_FORMAT_MAPPER, new JsonColumns(JsonMapper.builder().build()));
            };
        }
    }

    /** The service port's status-only health, once the actuator has moved to the management port. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    static class ServicePortHealthConfiguration {

        @Bean
        ServicePortHealthController servicePortHealthController(HealthEndpoint health) {
            return new ServicePortHealthController(health);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class ServletConfiguration {

        @Bean
        FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
            FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @Bean
        FilterRegistrationBean<InternalTokenFilter> internalTokenFilter(InternalTokenCodec codec) {
            FilterRegistrationBean<InternalTokenFilter> registration =
                    new FilterRegistrationBean<>(new InternalTokenFilter(codec));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }
}
