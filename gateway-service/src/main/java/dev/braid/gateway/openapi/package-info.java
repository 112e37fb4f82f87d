/**
 * The one public OpenAPI document, at {@code /v3/api-docs}: the services' own documents (each
 * already limited to {@code /api/v1/**}) and the gateway's, merged into one with the gateway's
 * public URL as its server and a bearer security scheme. The merge refuses two owners of one path
 * or two different schemas under one name, so a collision shows up as a failed document, never as
 * a client that silently calls the wrong thing. Swagger UI reads the same document.
 */
package dev.braid.gateway.openapi;
