/**
 * The dataset service's problem responses.
 */
package dev.braid.dataset.web;
