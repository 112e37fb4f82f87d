/**
 * Routes to the services, and the filter that replaces client-claimed identity with a signed
 * internal token.
 */
package dev.braid.gateway.routing;
