/**
 * RFC 9457 problems: the API exception type with its stable problem types, and the mapping every
 * servlet service shares.
 */
package dev.braid.common.problem;
