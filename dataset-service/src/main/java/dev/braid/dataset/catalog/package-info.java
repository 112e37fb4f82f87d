/**
 * The catalogue of datasets per tenant: create (opening the data key and budget first), read with
 * split counts, delete (crypto-shredding first).
 */
package dev.braid.dataset.catalog;
