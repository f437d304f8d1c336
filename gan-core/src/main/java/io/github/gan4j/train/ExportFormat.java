package io.github.gan4j.train;

import io.github.gan4j.internal.ManifestFiles;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.sample.Normal;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.sample.TruncatedNormal;
import io.github.gan4j.sample.Uniform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The one owner of gan4j's export manifest {@value #MANIFEST}, written next to the SavedModel
 * of {@link Trainer#exportGenerator} after everything else (so its presence marks a complete
 * export): format version, model fingerprint, latent size, image shape, the number of classes of a conditional GAN, the sampler (its
 * {@link Sampler#describe()}, kind and parameters) and the SHA-256 of every file of the
 * export. {@link TrainedGenerator#load} verifies it before TensorFlow reads anything.
 *
 * <p>The built-in samplers ({@link Normal}, {@link Uniform}, {@link TruncatedNormal}) are
 * recorded with their parameters and rebuilt at load. Any other sampler is recorded as
 * {@code custom} with its class name and description only: arbitrary Java code cannot be
 * recorded, so such an export has no sampler of its own.
 */
final class ExportFormat {
  /** Name of the manifest file in an export directory. */
  static final String MANIFEST = "gan4j-export.properties";
  /** The format version written and read. */
  static final int VERSION = 1;

  private static final String SHA = "sha256.";

  /** What a verified manifest says. */
  record Manifest(int latentDim, Shape imageShape, Optional<Sampler> sampler, String samplerDescription,
      int numClasses) {}

  private ExportFormat() {}

  /** Writes the manifest of the SavedModel already exported to {@code dir}, then forces the export to disk. */
  /** @param weights which weights of the generator were exported: {@code raw} or the moving average's description */
  static void writeManifest(Path dir, TrainingRecipe recipe, String weights) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", String.valueOf(VERSION));
    p.setProperty("generator.weights", weights);
    p.setProperty("model.fingerprint", recipe.gan().fingerprint());
    p.setProperty("latent.size", String.valueOf(recipe.gan().latentDim()));
    if (recipe.gan().numClasses() > 0) {
      p.setProperty("classes", String.valueOf(recipe.gan().numClasses()));
    }
    Shape image = recipe.gan().imageShape();
    p.setProperty("image.shape", image.dim(0) + "," + image.dim(1) + "," + image.dim(2));
    Sampler sampler = recipe.sampler();
    p.setProperty("sampler", sampler.describe());
    if (sampler instanceof Normal n) {
      p.setProperty("sampler.kind", "normal");
      p.setProperty("sampler.mean", Float.toString(n.mean()));
      p.setProperty("sampler.stddev", Float.toString(n.stddev()));
    } else if (sampler instanceof Uniform u) {
      p.setProperty("sampler.kind", "uniform");
      p.setProperty("sampler.low", Float.toString(u.low()));
      p.setProperty("sampler.high", Float.toString(u.high()));
    } else if (sampler instanceof TruncatedNormal t) {
      p.setProperty("sampler.kind", "truncatedNormal");
      p.setProperty("sampler.stddev", Float.toString(t.stddev()));
    } else {
      p.setProperty("sampler.kind", "custom");
      p.setProperty("sampler.class", sampler.getClass().getName());
    }
    for (String file : ManifestFiles.list(dir, MANIFEST)) {
      p.setProperty(SHA + file, CheckpointFormat.sha256(dir.resolve(file)));
    }
    ManifestFiles.fsync(dir);
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "gan4j generator export");
    }
    Files.move(tmp, dir.resolve(MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    ManifestFiles.fsync(dir);
  }

  /**
   * Checks an export before TensorFlow reads it: the manifest is present, readable and of
   * this format, every file it lists is present with its recorded SHA-256, and no file of
   * the SavedModel is missing from it.
   *
   * @throws ExportException naming the export, the file and what is wrong
   */
  static Manifest verify(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ExportException(dir, "no exported generator in " + dir + " (the directory does not exist);"
          + " export one with Trainer.exportGenerator");
    }
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
        throw new ExportException(dir, "exported generator " + dir + " has no " + MANIFEST + ": it was exported"
            + " by a gan4j version before exports carried a manifest (or the export was interrupted), so its"
            + " files cannot be verified and its sampler is unknown. Re-export it with Trainer.exportGenerator"
            + " (restore the run's checkpoint, then export)");
      }
      throw new ExportException(dir, "no exported generator in " + dir + " (saved_model.pb is missing);"
          + " export one with Trainer.exportGenerator");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new ExportException(dir, "exported generator " + dir + " has an unreadable " + MANIFEST + " ("
          + e.getMessage() + "); it is damaged, re-export it");
    }
    if (!String.valueOf(VERSION).equals(p.getProperty("format"))) {
      throw new ExportException(dir, "exported generator " + dir + " has format " + p.getProperty("format")
          + " in " + manifest + "; this version of gan4j reads format " + VERSION);
    }
    List<String> listed = p.stringPropertyNames().stream().filter(k -> k.startsWith(SHA)).sorted().toList();
    if (p.getProperty(SHA + "saved_model.pb") == null || p.getProperty(SHA + "variables/variables.index") == null) {
      throw new ExportException(dir, "exported generator " + dir + ": " + manifest + " does not list saved_model.pb"
          + " and variables/variables.index; it is damaged, re-export it");
    }
    try {
      for (String key : listed) {
        Path file = dir.resolve(key.substring(SHA.length()));
        if (!Files.isRegularFile(file)) {
          throw new ExportException(dir, "exported generator " + dir + " is missing " + file
              + " (listed in " + MANIFEST + "); re-export it");
        }
        String actual = CheckpointFormat.sha256(file);
        if (!actual.equals(p.getProperty(key))) {
          throw new ExportException(dir, "exported generator file " + file + " is damaged: SHA-256 " + actual
              + ", " + MANIFEST + " says " + p.getProperty(key) + "; re-export it");
        }
      }
      for (String file : ManifestFiles.list(dir, MANIFEST)) {
        if (p.getProperty(SHA + file) == null) {
          throw new ExportException(dir, "exported generator " + dir + " holds " + dir.resolve(file)
              + ", which " + MANIFEST + " does not list; the export was altered, re-export it");
        }
      }
    } catch (IOException e) {
      throw new ExportException(dir, "cannot read exported generator " + dir + ": " + e);
    }
    try {
      int latent = Integer.parseInt(p.getProperty("latent.size"));
      String[] hwc = p.getProperty("image.shape").split(",");
      Shape image = Shape.of(Integer.parseInt(hwc[0]), Integer.parseInt(hwc[1]), Integer.parseInt(hwc[2]));
      return new Manifest(latent, image, sampler(p), p.getProperty("sampler", "unknown"),
          Integer.parseInt(p.getProperty("classes", "0")));
    } catch (RuntimeException e) {
      throw new ExportException(dir, "exported generator " + dir + " has an invalid " + MANIFEST + " (" + e
          + "); it is damaged, re-export it");
    }
  }

  private static Optional<Sampler> sampler(Properties p) {
    String kind = p.getProperty("sampler.kind");
    return switch (kind) {
      case "normal" -> Optional.of(new Normal(f(p, "sampler.mean"), f(p, "sampler.stddev")));
      case "uniform" -> Optional.of(new Uniform(f(p, "sampler.low"), f(p, "sampler.high")));
      case "truncatedNormal" -> Optional.of(new TruncatedNormal(f(p, "sampler.stddev")));
      case "custom" -> Optional.empty();
      default -> throw new IllegalArgumentException("unknown sampler.kind " + kind);
    };
  }

  private static float f(Properties p, String key) {
    return Float.parseFloat(p.getProperty(key));
  }
}
