/**
 * The inference service's problem responses.
 */
package dev.braid.inference.web;
