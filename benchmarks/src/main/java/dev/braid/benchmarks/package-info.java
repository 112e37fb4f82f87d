/**
 * Load generators that measure Braid side by side with the machine's own limit for the same work,
 * in one run, and print the ratio.
 */
package dev.braid.benchmarks;
