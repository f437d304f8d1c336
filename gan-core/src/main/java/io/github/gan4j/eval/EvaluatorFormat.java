package io.github.gan4j.eval;

import io.github.gan4j.internal.ManifestFiles;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.internal.Digests;
import io.github.gan4j.layers.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * The one owner of a saved evaluator's manifest, {@value #MANIFEST}, written next to the
 * classifier's SavedModel after everything else: format, id, the dataset's name and the
 * fingerprints of its training and test images, the image shape, the classes, the test
 * accuracy, the feature layer, how the classifier was trained, and the SHA-256 of every file.
 * {@link #verify} checks it before TensorFlow reads anything.
 */
final class EvaluatorFormat {
  /** Name of the manifest file in an evaluator directory. */
  static final String MANIFEST = "gan4j-evaluator.properties";
  /** The format version written and read. */
  static final int VERSION = 1;

  private static final String SHA = "sha256.";

  /**
   * What a manifest says.
   *
   * @param id the evaluator's id, its directory's name in the cache
   * @param dataset the dataset's name as given
   * @param trainImages the training images' description ({@link Dataset#name()})
   * @param trainFingerprint SHA-256 of the training images and labels ({@link #fingerprint})
   * @param testImages the test images' description
   * @param testFingerprint SHA-256 of the test images and labels
   * @param imageShape the images' shape
   * @param classes the number of classes
   * @param accuracy the test accuracy of the saved classifier
   * @param featureLayer the layer the features come from, as described to people
   * @param featureSize features per image
   * @param training how the classifier was trained (architecture, epochs, batch, optimizer, seed, time)
   */
  record Manifest(String id, String dataset, String trainImages, String trainFingerprint, String testImages,
      String testFingerprint, Shape imageShape, int classes, double accuracy, String featureLayer, int featureSize,
      String training) {}

  private EvaluatorFormat() {}

  /**
   * A fingerprint of a dataset's content: SHA-256 over its image shape, its size, every pixel
   * (as float32 bits, in order) and every label. Two datasets with the same fingerprint train
   * the same classifier.
   */
  static String fingerprint(Dataset data) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Shape shape = data.imageShape();
    md.update((shape + " x " + data.size() + (data.hasLabels() ? " labelled" : "")).getBytes(StandardCharsets.UTF_8));
    int imageSize = (int) shape.size();
    int batch = Math.max(1, (1 << 20) / imageSize);
    float[] pixels = new float[batch * imageSize];
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer labels = ByteBuffer.allocate(batch * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int start = 0; start < data.size(); start += batch) {
      int n = Math.min(batch, data.size() - start);
      labels.clear();
      for (int i = 0; i < n; i++) {
        data.copyImage(start + i, pixels, i * imageSize);
        if (data.hasLabels()) {
          labels.putInt(data.label(start + i));
        }
      }
      bytes.clear();
      bytes.asFloatBuffer().put(pixels, 0, n * imageSize);
      md.update(bytes.array(), 0, n * imageSize * 4);
      md.update(labels.array(), 0, labels.position());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Writes the manifest of the SavedModel already in {@code dir}, then forces everything to disk. */
  static void write(Path dir, Manifest m) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", String.valueOf(VERSION));
    p.setProperty("id", m.id());
    p.setProperty("dataset", m.dataset());
    p.setProperty("dataset.train", m.trainImages());
    p.setProperty("dataset.train.fingerprint", m.trainFingerprint());
    p.setProperty("dataset.test", m.testImages());
    p.setProperty("dataset.test.fingerprint", m.testFingerprint());
    Shape s = m.imageShape();
    p.setProperty("image.shape", s.dim(0) + "," + s.dim(1) + "," + s.dim(2));
    p.setProperty("classes", String.valueOf(m.classes()));
    p.setProperty("accuracy", String.format(Locale.ROOT, "%.6f", m.accuracy()));
    p.setProperty("feature.layer", m.featureLayer());
    p.setProperty("feature.size", String.valueOf(m.featureSize()));
    p.setProperty("training", m.training());
    for (String file : ManifestFiles.list(dir, MANIFEST)) {
      p.setProperty(SHA + file, Digests.sha256(dir.resolve(file)));
    }
    ManifestFiles.fsync(dir);
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "gan4j evaluator: a classifier trained on " + m.dataset() + ", its features and logits");
    }
    Files.move(tmp, dir.resolve(MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    ManifestFiles.fsync(dir);
  }

  /**
   * Checks a saved evaluator before TensorFlow reads it: the manifest is present, readable and
   * of this format; every file it lists is present with its recorded SHA-256; no file of the
   * SavedModel is missing from it.
   *
   * @throws EvaluatorException naming the directory, the file and what is wrong
   */
  static Manifest verify(Path dir) {
    String fix = "; delete " + dir + " and build the evaluator again (it is retrained and saved anew)";
    if (!Files.isDirectory(dir)) {
      throw new EvaluatorException(dir, "no saved evaluator in " + dir + " (the directory does not exist)");
    }
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
        throw new EvaluatorException(dir, dir + " holds a SavedModel but no " + MANIFEST + ": either a model of"
            + " your own (load it with Evaluator.fromSavedModel(dir, featureOutput)) or an evaluator whose saving"
            + " was interrupted (the manifest is written last)" + fix);
      }
      throw new EvaluatorException(dir, "no saved evaluator in " + dir + " (" + MANIFEST + " is missing: it is"
          + " written last, so the evaluator was not saved completely)" + fix);
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new EvaluatorException(dir, "saved evaluator " + dir + " has an unreadable " + manifest + " ("
          + e.getMessage() + ")" + fix);
    }
    if (!String.valueOf(VERSION).equals(p.getProperty("format"))) {
      throw new EvaluatorException(dir, "saved evaluator " + dir + " has format " + p.getProperty("format") + " in "
          + manifest + "; this version of gan4j reads format " + VERSION + fix);
    }
    if (p.getProperty(SHA + "saved_model.pb") == null) {
      throw new EvaluatorException(dir, "saved evaluator " + dir + ": " + manifest + " does not list saved_model.pb"
          + fix);
    }
    try {
      for (String key : p.stringPropertyNames().stream().filter(k -> k.startsWith(SHA)).sorted().toList()) {
        Path file = dir.resolve(key.substring(SHA.length()));
        if (!Files.isRegularFile(file)) {
          throw new EvaluatorException(dir, "saved evaluator " + dir + " is missing " + file + " (listed in "
              + MANIFEST + ")" + fix);
        }
        String actual = Digests.sha256(file);
        if (!actual.equals(p.getProperty(key))) {
          throw new EvaluatorException(dir, "saved evaluator file " + file + " is damaged: SHA-256 " + actual + ", "
              + MANIFEST + " says " + p.getProperty(key) + fix);
        }
      }
      for (String file : ManifestFiles.list(dir, MANIFEST)) {
        if (p.getProperty(SHA + file) == null) {
          throw new EvaluatorException(dir, "saved evaluator " + dir + " holds " + dir.resolve(file) + ", which "
              + MANIFEST + " does not list; the evaluator was altered" + fix);
        }
      }
    } catch (IOException e) {
      throw new EvaluatorException(dir, "cannot read saved evaluator " + dir + ": " + e);
    }
    try {
      String[] hwc = p.getProperty("image.shape").split(",");
      return new Manifest(required(p, "id"), required(p, "dataset"), required(p, "dataset.train"),
          required(p, "dataset.train.fingerprint"), required(p, "dataset.test"), required(p, "dataset.test.fingerprint"),
          Shape.of(Integer.parseInt(hwc[0]), Integer.parseInt(hwc[1]), Integer.parseInt(hwc[2])),
          Integer.parseInt(required(p, "classes")), Double.parseDouble(required(p, "accuracy")),
          required(p, "feature.layer"), Integer.parseInt(required(p, "feature.size")), required(p, "training"));
    } catch (RuntimeException e) {
      throw new EvaluatorException(dir, "saved evaluator " + dir + " has an invalid " + manifest + " (" + e + ")" + fix);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return v;
  }
}
