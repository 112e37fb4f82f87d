/**
 * The privacy service's problem responses.
 */
package dev.braid.privacy.web;
