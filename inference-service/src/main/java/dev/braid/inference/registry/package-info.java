/**
 * The model registry: versions with lineage, registration by training (once per job), deployment
 * and rollback.
 */
package dev.braid.inference.registry;
