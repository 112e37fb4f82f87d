/**
 * The blob store: immutable objects under plain relative keys, written atomically (temporary
 * file, then move).
 */
package dev.braid.common.blob;
