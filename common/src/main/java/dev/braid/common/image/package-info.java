/**
 * Image checks every entry point applies before decoding: PNG or JPEG by magic number, pixel
 * count from the header.
 */
package dev.braid.common.image;
