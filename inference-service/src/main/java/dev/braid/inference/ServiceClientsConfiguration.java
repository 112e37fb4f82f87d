package dev.braid.inference;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.braid.common.internalapi.DataKeysApi;

/**
 * The service the inference service calls: privacy, for the data key that opens a model. Base URL:
 * {@code spring.http.serviceclient.privacy.base-url}, set from {@code braid.inference.privacy-url} in
 * {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "privacy", types = {DataKeysApi.class})
class ServiceClientsConfiguration {
}
