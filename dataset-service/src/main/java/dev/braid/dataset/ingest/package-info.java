/**
 * Record ingestion in NDJSON, ZIP and multipart, streamed: each record judged alone, good ones
 * encrypted and written in batches, de-duplicated by keyed fingerprint, split by it. On
 * {@code JdbcClient}: records go in as JDBC batches with {@code on conflict do nothing} for the
 * de-duplication, and an upload's rows stay invisible until one statement completes it; an entity
 * per record would add a persistence context and per-row bookkeeping to the hottest write path.
 */
package dev.braid.dataset.ingest;
