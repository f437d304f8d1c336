/**
 * Helpers shared by several gan4j packages that are no part of the API: {@link
 * io.github.gan4j.internal.Digests}. Not exported by the module; depends on the JDK only.
 */
package io.github.gan4j.internal;
