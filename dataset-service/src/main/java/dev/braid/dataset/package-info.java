/**
 * Datasets and their records: the catalogue of datasets per tenant ({@code catalog}), record
 * ingestion with per-record validation, de-duplication and deterministic splits ({@code ingest}),
 * and the internal stream of records to training ({@code export}).
 */
package dev.braid.dataset;
