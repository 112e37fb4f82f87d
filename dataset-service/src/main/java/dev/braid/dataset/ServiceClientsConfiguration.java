package dev.braid.dataset;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.internalapi.ModelRegistryApi;
import dev.braid.common.internalapi.TrainingJobsApi;

/**
 * The services the dataset service calls, one HTTP service group each: privacy (data keys, budgets), and inference and
 * training (told of a deleted dataset). Base URLs: {@code spring.http.serviceclient.<group>.base-url}, set from
 * {@code braid.dataset.services.*} in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "privacy", types = {DataKeysApi.class, BudgetLedgerApi.class})
@ImportHttpServices(group = "inference", types = {ModelRegistryApi.class})
@ImportHttpServices(group = "training", types = {TrainingJobsApi.class})
class ServiceClientsConfiguration {
}
