/**
 * The client of the privacy service: data keys and budgets.
 */
package dev.braid.dataset.privacy;
