package io.github.gan4j.tf;

import io.github.gan4j.Gan;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.train.DiscriminatorUpdate;
import io.github.gan4j.train.FakeBatches;
import io.github.gan4j.train.GanLoss;
import io.github.gan4j.train.Optimizer;
import io.github.gan4j.train.Precision;

/**
 * Everything the training graph is built from.
 *
 * @param gan the validated model
 * @param batchSize images per batch
 * @param seed seed of initial weights, noise and dropout
 * @param discriminatorOptimizer D's optimizer
 * @param generatorOptimizer G's optimizer
 * @param loss the adversarial loss
 * @param discriminatorUpdate how D learns from a real and a fake batch
 * @param fakeBatches how G runs when making D's fake batch
 * @param discriminatorSteps D updates per G update
 * @param sampler latent distribution (built-ins are generated in-graph, others fed)
 * @param intraOpThreads threads inside one op (0 = TensorFlow's choice: all cores)
 * @param interOpThreads threads running independent ops (0 = TensorFlow's choice)
 * @param precision float32 or oneDNN bfloat16 mixed precision
 * @param xla whether TensorFlow's XLA JIT compiles the graph
 */
public record GraphSpec(Gan gan, int batchSize, long seed, Optimizer discriminatorOptimizer,
    Optimizer generatorOptimizer, GanLoss loss, DiscriminatorUpdate discriminatorUpdate, FakeBatches fakeBatches,
    int discriminatorSteps, Sampler sampler, int intraOpThreads, int interOpThreads, Precision precision,
    boolean xla) {

  /** Noise streams per step: D updates use streams 0..k-1, G's update stream k. */
  public static final int STREAMS_PER_STEP = 64;
}
