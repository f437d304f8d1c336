/**
 * gan4j: generative adversarial networks on TensorFlow Java. The spec packages
 * ({@code io.github.gan4j}, {@code .layers}, {@code .data}, {@code .sample},
 * {@code .recipe}) are plain Java; {@code io.github.gan4j.train} runs them and
 * {@code io.github.gan4j.eval} measures what they generate. The lowering to
 * TensorFlow, {@code io.github.gan4j.tf}, is internal and not exported;
 * {@code io.github.gan4j.extension} is the advanced door for custom layers and losses, which
 * speaks TensorFlow Java.
 */
module io.github.gan4j {
  requires java.desktop;   // ImageIO and BufferedImage: image folders and sample grids
  requires java.net.http;  // dataset downloads
  requires transitive tensorflow;   // the extension package's signatures speak TensorFlow Java
  requires com.sun.jna;   // OneDnn sets TF_ENABLE_ONEDNN_OPTS natively before TensorFlow loads

  exports io.github.gan4j;
  exports io.github.gan4j.layers;
  exports io.github.gan4j.data;
  exports io.github.gan4j.sample;
  exports io.github.gan4j.recipe;
  exports io.github.gan4j.train;
  exports io.github.gan4j.extension;   // custom layers and losses on TensorFlow operands
  exports io.github.gan4j.eval;        // quality metrics: FD, KID, precision/recall, class statistics

  // JNA implements OneDnn's package-private libc interface reflectively; nobody else sees tf
  opens io.github.gan4j.tf to com.sun.jna;
}
