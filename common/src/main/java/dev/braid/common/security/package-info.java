/**
 * The signed internal token that carries the caller (tenant, role, key id) from the gateway to a
 * service, its servlet filter, and the caller context.
 */
package dev.braid.common.security;
