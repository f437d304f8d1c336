package io.github.gan4j.tf;

import io.github.gan4j.Gan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds a generator-only graph, restores it from a training checkpoint and exports it; the
 * names of its signature's tensors, which {@code TrainedGenerator} reads.
 */
public final class GeneratorExport {
  /** The signature's input: latent vectors, (batch, latentDim). */
  public static final String INPUT = "latent";
  /** The signature's second input for a conditional GAN: class labels, int32 (batch). */
  public static final String LABELS = "labels";
  /** The signature's output: images, (batch, height, width, channels). */
  public static final String OUTPUT = "images";

  private GeneratorExport() {}

  /**
   * @param scope the scope of the generator's variables in the checkpoint: the trained weights
   *     ({@code generator}) or their moving average ({@link EmaLowering#SCOPE})
   */
  static void export(Gan gan, long seed, String checkpointPrefix, Path dir, String scope) throws IOException {
    if (Files.exists(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("export directory " + dir + " is not empty; choose a new directory");
        }
      }
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      NetworkLowering g = new NetworkLowering(tf, gan.generator(), seed, scope);
      Placeholder<TFloat32> z = tf.withName(INPUT).placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, gan.latentDim())));
      Placeholder<TInt32> labels = gan.conditioning().isEmpty() ? null : tf.withName(LABELS)
          .placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
      Operand<TFloat32> images = tf.withName(OUTPUT).identity(
          g.forward(NetworkLowering.Pass.inference(tf).labeled(labels), z));
      try (Session session = new Session(graph)) {
        session.restore(checkpointPrefix);
        Signature.Builder builder = Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT, z);
        if (labels != null) {
          builder.input(LABELS, labels);
        }
        Signature signature = builder.output(OUTPUT, images).build();
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    }
  }
}
