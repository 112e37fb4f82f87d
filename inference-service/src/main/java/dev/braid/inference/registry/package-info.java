/**
 * The model registry: versions with lineage, registration by training (once per job), deployment
 * and rollback. Models and deployments are Spring Data JPA entities scoped to the caller's tenant;
 * the writes that race a dataset's deletion (registration, revocation) and the sweep across tenants
 * stay single {@code JdbcClient} statements under an advisory lock ({@code RevocationStore}).
 */
package dev.braid.inference.registry;
