/**
 * Where the gateway finds each service: one URL, or several instances balanced among the healthy ones; used by the
 * routes and by the gateway's own calls to services.
 */
package dev.braid.gateway.upstream;
