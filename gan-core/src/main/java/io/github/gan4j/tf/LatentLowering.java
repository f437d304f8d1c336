package io.github.gan4j.tf;

import io.github.gan4j.recipe.RandomStream;
import io.github.gan4j.sample.Normal;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.sample.TruncatedNormal;
import io.github.gan4j.sample.Uniform;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Latent noise of a named stream: built-in samplers in-graph with stateless random ops,
 * any other sampler as a slice of the noise fed from Java (one batch per stream of
 * {@link #fedStreams}).
 */
final class LatentLowering {
  private final Sampler sampler;
  private final int batch;
  private final int latentDim;
  private final List<RandomStream> fedStreams;
  private final Placeholder<TFloat32> fed;
  private final Replica replica;

  LatentLowering(Ops tf, Sampler sampler, int batch, int latentDim, int discriminatorSteps) {
    this(tf, sampler, batch, latentDim, discriminatorSteps, Replica.single());
  }

  /**
   * As one replica of a data-parallel run: {@code batch} is the global batch; each draw is this
   * replica's rows of the global batch's draw, and fed noise holds this replica's rows only.
   */
  LatentLowering(Ops tf, Sampler sampler, int batch, int latentDim, int discriminatorSteps, Replica replica) {
    this.sampler = sampler;
    this.replica = replica;
    this.batch = replica.share(batch);
    this.latentDim = latentDim;
    List<RandomStream> streams = new ArrayList<>();
    for (int j = 0; j < discriminatorSteps; j++) {
      streams.add(RandomStream.discriminatorFakeNoise(j));
    }
    streams.add(RandomStream.GENERATOR_NOISE);
    this.fedStreams = List.copyOf(streams);
    this.fed = inGraph(sampler) ? null : tf.withName("latent_noise").placeholder(TFloat32.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.of((long) streams.size() * batch, latentDim)));
  }

  /** Whether {@code sampler} is generated in-graph (the built-ins) rather than fed. */
  static boolean inGraph(Sampler sampler) {
    return sampler instanceof Normal || sampler instanceof Uniform || sampler instanceof TruncatedNormal;
  }

  /** The fed noise placeholder, or null when the noise is made in-graph. */
  Placeholder<TFloat32> fed() {
    return fed;
  }

  /** The streams of the fed noise, one batch each in this order. */
  List<RandomStream> fedStreams() {
    return fedStreams;
  }

  /** One batch of latent vectors of {@code stream} for the current step. */
  Operand<TFloat32> noise(Ops tf, RandomKeys keys, RandomStream stream) {
    if (fed != null) {
      int slot = fedStreams.indexOf(stream);
      if (slot < 0) {
        throw new IllegalArgumentException("stream " + stream.name() + " is not fed; fed are " + fedStreams);
      }
      return tf.slice(fed, tf.constant(new int[] {slot * batch, 0}), tf.constant(new int[] {batch, latentDim}));
    }
    Operand<TInt64> key = keys.key(tf, stream);
    return replica.share(tf, batch, rows -> draw(tf, key, rows));
  }

  private Operand<TFloat32> draw(Ops tf, Operand<TInt64> key, long rows) {
    Operand<TInt64> shape = tf.constant(new long[] {rows, latentDim});
    if (sampler instanceof Normal n) {
      Operand<TFloat32> z = tf.random.statelessRandomNormal(shape, key);
      return n.mean() == 0f && n.stddev() == 1f ? z
          : tf.math.add(tf.math.mul(z, tf.constant(n.stddev())), tf.constant(n.mean()));
    }
    if (sampler instanceof Uniform u) {
      Operand<TFloat32> z = tf.random.statelessRandomUniform(shape, key);
      return tf.math.add(tf.math.mul(z, tf.constant(u.high() - u.low())), tf.constant(u.low()));
    }
    TruncatedNormal t = (TruncatedNormal) sampler;
    return tf.math.mul(tf.random.statelessTruncatedNormal(shape, key), tf.constant(t.stddev()));
  }
}
