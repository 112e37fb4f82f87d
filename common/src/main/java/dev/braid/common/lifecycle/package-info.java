/**
 * Supervision by {@code ./braid up}: a service ends itself when the supervisor that started it is
 * gone.
 */
package dev.braid.common.lifecycle;
