/** Dynamic batching: a bounded queue per model whose worker cuts batches by size or by delay. Free of HTTP types. */
package dev.braid.inference.batching;
