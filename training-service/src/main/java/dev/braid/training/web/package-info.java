/**
 * The training service's problem responses.
 */
package dev.braid.training.web;
