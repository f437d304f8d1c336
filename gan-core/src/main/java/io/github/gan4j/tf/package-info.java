/**
 * Lowering of gan4j's specs to TensorFlow graphs: the one place where ops are built,
 * variables are created and placed, and sessions are configured. Not public API: its
 * types may change in any release.
 */
package io.github.gan4j.tf;
