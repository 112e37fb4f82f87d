/**
 * Envelope encryption: the master key, a key-encryption keyset per tenant, a data key per
 * dataset, rotation with background rewrap, destruction, and the audit. On {@code JdbcClient}: wrapped
 * keys are byte arrays swapped by conditional updates, and the rewrap walks rows in batches.
 */
package dev.braid.privacy.keys;
