/**
 * Per-key rate limits and request body limits.
 */
package dev.braid.gateway.limits;
