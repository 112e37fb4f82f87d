/**
 * The services' API for each other (never routed by the gateway): one {@code @HttpExchange} interface per callee
 * feature and one record per payload, used alike by the caller and by the callee. The caller imports the interfaces
 * as Spring HTTP service groups, one group per service it calls ({@code @ImportHttpServices}, base URL from
 * {@code spring.http.serviceclient.<group>.base-url}), each group's client configured by
 * {@link dev.braid.common.web.ServiceClients#configure}. The callee's controller implements the interface and so
 * takes its paths from it. Each method names its whole path: a type-level path on an interface would prefix every
 * mapping of a controller that implements it, its public endpoints included. Nothing crosses a service boundary as a
 * {@code Map} or a JSON tree, and no path or key is spelled in two places.
 */
package dev.braid.common.internalapi;
