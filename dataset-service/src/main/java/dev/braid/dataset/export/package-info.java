/**
 * The internal stream of a dataset's records, decrypted, to the training service. On {@code JdbcClient}
 * with a server-side cursor (fetch size 256): a dataset of any size streams in constant memory, which
 * loading entities would not.
 */
package dev.braid.dataset.export;
