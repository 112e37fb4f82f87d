/**
 * Clients of the dataset and inference services, called as the job's tenant.
 */
package dev.braid.training.remote;
