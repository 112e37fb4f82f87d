/**
 * Request ids and clients for service-to-service calls made on behalf of the current caller.
 */
package dev.braid.common.web;
