/**
 * Request ids and the access log, CORS, and problem responses for everything the gateway answers
 * itself.
 */
package dev.braid.gateway.web;
