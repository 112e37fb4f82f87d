package dev.braid.training;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.braid.common.internalapi.AccountantApi;
import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.internalapi.DatasetRecordsApi;
import dev.braid.common.internalapi.ModelRegistryApi;

/**
 * The services the training service calls, one HTTP service group each: privacy (data keys, the budget ledger, the
 * accountant), dataset (a dataset and its records) and inference (model registration). Base URLs:
 * {@code spring.http.serviceclient.<group>.base-url}, set from {@code braid.training.services.*} in
 * {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "privacy", types = {DataKeysApi.class, BudgetLedgerApi.class, AccountantApi.class})
@ImportHttpServices(group = "dataset", types = {DatasetRecordsApi.class})
@ImportHttpServices(group = "inference", types = {ModelRegistryApi.class})
class ServiceClientsConfiguration {
}
