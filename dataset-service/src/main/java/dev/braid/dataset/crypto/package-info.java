/**
 * Encryption at rest: every record's text and image are encrypted with the dataset's data key
 * (held by the privacy service, fetched per request, kept only in memory) before anything is written.
 */
package dev.braid.dataset.crypto;
