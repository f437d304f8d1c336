/**
 * Measuring the quality of generated images: an {@link io.github.gan4j.eval.Evaluator} (a
 * classifier gan4j trains on a labelled dataset and caches, or a SavedModel you supply, such
 * as Inception-v3 for the standard FID) turns images into features; a
 * {@link io.github.gan4j.eval.Reference} holds the real images' side; an
 * {@link io.github.gan4j.eval.Evaluation} reports Frechet distance, KID, precision and recall,
 * classifier score, class entropy and coverage with the protocol that measured them;
 * {@link io.github.gan4j.eval.Evaluations#every} evaluates during training.
 */
package io.github.gan4j.eval;
