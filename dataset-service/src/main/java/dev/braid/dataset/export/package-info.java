/**
 * The internal stream of a dataset's records, decrypted, to the training service.
 */
package dev.braid.dataset.export;
