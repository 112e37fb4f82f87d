/**
 * Shared cryptography plumbing: Conscrypt's AES-GCM as the first JCE provider when present, and a Tink AEAD
 * over raw AES-256 key bytes.
 */
package dev.braid.common.crypto;
