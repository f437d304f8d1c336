package io.github.gan4j.train;

/**
 * Which weights of the generator to sample from or export when the trainer keeps a moving
 * average of them ({@link Trainer.Builder#generatorEma(float)}).
 */
public enum GeneratorWeights {
  /** The moving average when the trainer keeps one, else the trained weights: the default. */
  DEFAULT,
  /** The weights the optimizer trains, also when a moving average is kept. */
  RAW
}
