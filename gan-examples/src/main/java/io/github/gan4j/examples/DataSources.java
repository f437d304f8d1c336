package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Cifar10;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Download;
import io.github.gan4j.data.Idx;
import io.github.gan4j.data.ImageFolder;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The datasets of the command line and their default models. */
final class DataSources {
  static final List<String> NAMES = List.of("cifar10", "fashion-mnist", "mnist", "folder");
  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private DataSources() {}

  /** The image shape of a dataset; {@code imageSize} ("HxWxC") only for folders. */
  static Shape shapeOf(String dataset, String imageSize) {
    return switch (dataset) {
      case "cifar10" -> Cifar10.SHAPE;
      case "fashion-mnist", "mnist" -> Shape.of(28, 28, 1);
      default -> parseSize(imageSize);
    };
  }

  static Shape parseSize(String s) {
    String[] parts = s.toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length != 3) {
        throw new NumberFormatException();
      }
      int h = Integer.parseInt(parts[0]);
      int w = Integer.parseInt(parts[1]);
      int c = Integer.parseInt(parts[2]);
      if (h <= 0 || w <= 0 || (c != 1 && c != 3)) {
        throw new NumberFormatException();
      }
      return Shape.of(h, w, c);
    } catch (NumberFormatException e) {
      throw new UsageException("option --image-size needs HEIGHTxWIDTHxCHANNELS with 1 or 3 channels, e.g. 32x32x3,"
          + " got '" + s + "'");
    }
  }

  /** The reference design for the shape: the Keras tutorial's DCGAN for 32x32x3, from 7x7 for 28x28. */
  static Gan defaultModel(Shape shape) {
    return defaultModel(shape, Initializer.glorotUniform());
  }

  /** {@link #defaultModel(Shape)} with {@code init} for every kernel ({@code --init}). */
  static Gan defaultModel(Shape shape, Initializer init) {
    if (shape.dim(0) % 4 != 0 || shape.dim(1) % 4 != 0) {
      throw new UsageException("the default model needs height and width divisible by 4 (two stride-2 upsamplings),"
          + " got " + shape.dim(0) + "x" + shape.dim(1) + "; choose another --image-size");
    }
    return ReferenceModels.dcgan(shape.dim(0), shape.dim(1), shape.dim(2), init);
  }

  /** Loads the training images, printing what it does (and download progress) to {@code log}. */
  static Dataset load(String dataset, Path dataDir, Shape shape, PrintStream log, boolean interactive)
      throws IOException {
    switch (dataset) {
      case "cifar10": {
        Path dir = dataDir != null ? dataDir : Cifar10.defaultDirectory();
        log.println("CIFAR-10 from " + dir + (dataDir == null ? " (downloaded there on first use, 170 MB)" : ""));
        Download.Progress progress = progress(log, interactive);
        return dataDir == null ? Cifar10.load(Cifar10.Split.TRAIN, dir, progress) : Cifar10.read(Cifar10.Split.TRAIN, dir);
      }
      case "fashion-mnist":
      case "mnist": {
        Path dir = dataDir != null ? dataDir : dataset.equals("fashion-mnist") ? FASHION_MNIST : null;
        if (dir == null) {
          throw new UsageException("--dataset mnist needs --data-dir DIR holding train-images-idx3-ubyte[.gz]");
        }
        Path images = firstExisting(dir, "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
        Path labels = firstExisting(dir, "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte");
        if (images == null) {
          throw new NoSuchFileException(dir.resolve("train-images-idx3-ubyte.gz").toString(), null,
              dataset.equals("fashion-mnist")
                  ? "Fashion-MNIST not found; on Debian: apt-get install dataset-fashion-mnist, or pass --data-dir"
                  : "MNIST not found; pass --data-dir DIR holding the IDX files");
        }
        log.println(dataset + " from " + images);
        return labels != null ? Idx.read(images, labels) : Idx.readImages(images);
      }
      default: {
        if (dataDir == null) {
          throw new UsageException("--dataset folder needs --data-dir DIR with PNG or JPEG images");
        }
        log.println("images under " + dataDir + " as " + shape);
        return ImageFolder.read(dataDir, shape.dim(0), shape.dim(1), shape.dim(2));
      }
    }
  }

  private static Path firstExisting(Path dir, String... names) {
    for (String n : names) {
      if (Files.isRegularFile(dir.resolve(n))) {
        return dir.resolve(n);
      }
    }
    return null;
  }

  private static Download.Progress progress(PrintStream log, boolean interactive) {
    long[] lastPrinted = {-1};
    return (done, total) -> {
      int percent = (int) (100 * done / total);
      if (percent != lastPrinted[0] && (interactive || percent % 10 == 0)) {
        lastPrinted[0] = percent;
        String line = String.format(Locale.ROOT, "downloading: %3d%% (%.1f of %.1f MB)", percent, done / 1e6,
            total / 1e6);
        if (interactive) {
          log.print("\r" + line + (done == total ? "\n" : ""));
        } else {
          log.println(line);
        }
      }
    };
  }
}
