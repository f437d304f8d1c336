/**
 * Real images for training: the {@link io.github.gan4j.data.Dataset} interface, in-memory
 * datasets from {@link io.github.gan4j.data.Datasets}, and the reproducible
 * {@link io.github.gan4j.data.BatchSchedule} of shuffled epochs.
 */
package io.github.gan4j.data;
