/**
 * Envelope encryption: the master key, a key-encryption keyset per tenant, a data key per
 * dataset, rotation with background rewrap, destruction, and the audit.
 */
package dev.braid.privacy.keys;
