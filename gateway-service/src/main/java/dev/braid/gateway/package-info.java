/**
 * The only public door of Braid. Requests are authenticated by API key ({@code apikey}), limited
 * per key and by size ({@code limits}), and routed to the services with the caller carried in a
 * signed internal token ({@code routing}); {@code web} holds request ids, CORS and problem responses.
 */
package dev.braid.gateway;
