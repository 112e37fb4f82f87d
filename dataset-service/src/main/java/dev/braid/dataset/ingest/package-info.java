/**
 * Record ingestion in NDJSON, ZIP and multipart, streamed: each record judged alone, good ones
 * encrypted and written in batches, de-duplicated by keyed fingerprint, split by it.
 */
package dev.braid.dataset.ingest;
