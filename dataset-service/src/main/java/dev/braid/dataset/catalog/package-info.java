/**
 * The catalogue of datasets per tenant: create (opening the data key and budget first), read with
 * split counts, delete (crypto-shredding first). Datasets are a Spring Data JPA entity, scoped to the
 * caller's tenant by Hibernate's {@code @TenantId}; the counts over their records stay on
 * {@code JdbcClient} ({@code RecordStatistics}), one grouped query over rows that are not entities.
 */
package dev.braid.dataset.catalog;
