/**
 * Where a dataset's sealed images live: the blob store (a directory, or an S3-compatible bucket), under one prefix
 * per dataset and per upload, so an upload that died or a dataset that was deleted is cleaned up by prefix. The
 * bytes stored are the AEAD ciphertexts made in {@code crypto}; nothing readable is ever written here.
 */
package dev.braid.dataset.storage;
