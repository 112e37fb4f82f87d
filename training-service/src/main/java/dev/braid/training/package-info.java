/**
 * Durable training jobs: the queue and its API ({@code job}), the workers that claim jobs with
 * leases and run them ({@code worker}), and the clients of the dataset and inference services
 * ({@code remote}).
 */
package dev.braid.training;
