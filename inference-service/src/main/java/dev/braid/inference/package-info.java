/**
 * Serving: the registry of model versions and which one each dataset serves ({@code registry}),
 * and fused predictions from loaded models ({@code prediction}).
 */
package dev.braid.inference;
