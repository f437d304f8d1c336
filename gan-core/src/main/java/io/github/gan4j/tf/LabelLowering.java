package io.github.gan4j.tf;

import io.github.gan4j.recipe.FakeLabels;
import io.github.gan4j.recipe.RandomStream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The class labels of a conditional GAN's training step: the real images' labels, fed from the
 * dataset ({@code k} batches, this replica's rows), and the fakes' labels, drawn in-graph from a
 * named stream with stateless random ops (uniform over the classes, or by the dataset's class
 * frequencies, fed as their logarithms), each replica taking its rows of the global draw.
 */
final class LabelLowering {
  private final int numClasses;
  private final int batch;
  private final Replica replica;
  private final FakeLabels fakeLabels;
  private final Placeholder<TInt32> real;
  private final Placeholder<TFloat32> logFrequencies;

  LabelLowering(Ops tf, int numClasses, FakeLabels fakeLabels, int batch, int discriminatorSteps, Replica replica) {
    this.numClasses = numClasses;
    this.replica = replica;
    this.batch = replica.share(batch);
    this.fakeLabels = fakeLabels;
    this.real = tf.withName("real_labels").placeholder(TInt32.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.of((long) discriminatorSteps * this.batch)));
    this.logFrequencies = fakeLabels == FakeLabels.DATASET_FREQUENCIES
        ? tf.withName("class_log_frequencies").placeholder(TFloat32.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(numClasses)))
        : null;
  }

  /** The fed labels of the real images: {@code k} batches of this replica's rows. */
  Placeholder<TInt32> real() {
    return real;
  }

  /** The fed logarithms of the dataset's class frequencies, or null when fakes are labelled uniformly. */
  Placeholder<TFloat32> logFrequencies() {
    return logFrequencies;
  }

  /** The real labels of the discriminator's update {@code j}. */
  Operand<TInt32> real(Ops tf, int j) {
    return tf.slice(real, tf.constant(new int[] {j * batch}), tf.constant(new int[] {batch}));
  }

  /** One batch of fake labels of {@code stream} for the current step. */
  Operand<TInt32> fake(Ops tf, RandomKeys keys, RandomStream stream) {
    Operand<TInt64> key = keys.key(tf, stream);
    return replica.share(tf, batch, rows -> draw(tf, key, rows));
  }

  private Operand<TInt32> draw(Ops tf, Operand<TInt64> key, long rows) {
    if (logFrequencies == null) {
      return tf.random.statelessRandomUniformInt(tf.constant(new long[] {rows}), key, tf.constant(0),
          tf.constant(numClasses));
    }
    Operand<TFloat32> logits = tf.reshape(logFrequencies, tf.constant(new int[] {1, numClasses}));
    Operand<TInt32> drawn = tf.random.statelessMultinomial(logits, tf.constant((int) rows), key, TInt32.class);
    return tf.reshape(drawn, tf.constant(new int[] {(int) rows}));
  }
}
