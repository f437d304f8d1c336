package io.github.gan4j.examples;

import io.github.gan4j.Conditioning;
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
import java.util.Locale;

/** The datasets of the command line and their default models. */
final class DataSources {
  /** The datasets of {@code --dataset}, by their command-line names. */
  enum Name {
    CIFAR10("cifar10"), FASHION_MNIST("fashion-mnist"), MNIST("mnist"), FOLDER("folder");

    private final String name;

    Name(String name) {
      this.name = name;
    }

    /** The command-line name: cifar10, fashion-mnist, mnist or folder. */
    @Override
    public String toString() {
      return name;
    }
  }

  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private DataSources() {}

  /** The image shape of a dataset; {@code imageSize} only for folders. */
  static Shape shapeOf(Name dataset, Shape imageSize) {
    return switch (dataset) {
      case CIFAR10 -> Cifar10.SHAPE;
      case FASHION_MNIST, MNIST -> Shape.of(28, 28, 1);
      case FOLDER -> imageSize;
    };
  }

  /** {@code --model}'s name of {@link ReferenceModels#dcgan}, the default. */
  static final String DCGAN = "dcgan";

  /** {@code --model}'s name of {@link ReferenceModels#snganResNet}. */
  static final String SNGAN_RESNET = "sngan-resnet";

  /**
   * The reference model {@code model} ({@link #DCGAN} or {@link #SNGAN_RESNET}) for the shape,
   * {@code init} for every kernel of the DCGAN ({@code --init}; the ResNet takes only glorot).
   *
   * @throws UsageException if the model cannot take the shape or the initializer
   */
  static Gan model(String model, Shape shape, Initializer init) {
    return model(model, null, shape, init, null);
  }

  /**
   * {@link #model(String, Shape, Initializer)} conditioned on the dataset's classes as
   * {@code conditional} says ({@code --conditional}), or unconditioned for null.
   *
   * @throws UsageException for a conditional model of a folder, whose images have no labels, or
   *     a conditioning the model cannot take
   */
  static Gan model(String model, Name dataset, Shape shape, Initializer init, OptionTypes.Conditional conditional) {
    if (!model.equals(SNGAN_RESNET)) {
      return defaultModel(dataset, shape, init, conditional);
    }
    Gan resnet = snganResNet(shape, init);
    if (conditional == null) {
      return resnet;
    }
    if (dataset == Name.FOLDER) {
      throw new UsageException("--conditional needs a labelled dataset (cifar10, fashion-mnist or mnist); the images"
          + " of a folder have no class labels");
    }
    Conditioning c = conditional.conditioning(BUILT_IN_CLASSES);
    if (c.generator() == Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM) {
      throw new UsageException("--model " + SNGAN_RESNET + " keeps its BatchNorm inside residual blocks, which cannot be"
          + " class-conditional yet; use --conditional embedding,projection (or embedding,maps)");
    }
    return ReferenceModels.conditioned(resnet, c);
  }

  private static Gan snganResNet(Shape shape, Initializer init) {
    if (shape.dim(0) % 8 != 0 || shape.dim(1) % 8 != 0) {
      throw new UsageException("--model " + SNGAN_RESNET + " needs height and width divisible by 8 (three up-sampling"
          + " blocks from h/8 x w/8), got " + shape.dim(0) + "x" + shape.dim(1) + "; for 28x28 images (mnist,"
          + " fashion-mnist) use --model " + DCGAN + ", or pad them to 32x32 in a --dataset folder");
    }
    if (!(init instanceof Initializer.GlorotUniform)) {
      throw new UsageException("--init applies to --model " + DCGAN + "; " + SNGAN_RESNET
          + " starts its kernels Glorot uniform (drop --init or give --init glorot)");
    }
    return ReferenceModels.snganResNet(shape.dim(0), shape.dim(1), shape.dim(2));
  }

  /** The reference design for the shape: the Keras tutorial's DCGAN for 32x32x3, from 7x7 for 28x28. */
  static Gan defaultModel(Shape shape) {
    return defaultModel(shape, Initializer.glorotUniform());
  }

  /** {@link #defaultModel(Shape)} with {@code init} for every kernel ({@code --init}). */
  static Gan defaultModel(Shape shape, Initializer init) {
    return defaultModel(shape, init, null);
  }

  /** The classes of a labelled dataset: 10 for each built-in one; a folder has no labels. */
  static final int BUILT_IN_CLASSES = 10;

  /**
   * {@link #defaultModel(Shape, Initializer)}, conditioned on the dataset's {@value #BUILT_IN_CLASSES}
   * classes as {@code conditional} says ({@code --conditional}), or unconditioned for null.
   *
   * @throws UsageException for a conditional model of a folder, whose images have no labels
   */
  static Gan defaultModel(Name dataset, Shape shape, Initializer init, OptionTypes.Conditional conditional) {
    if (conditional != null && dataset == Name.FOLDER) {
      throw new UsageException("--conditional needs a labelled dataset (cifar10, fashion-mnist or mnist); the images"
          + " of a folder have no class labels");
    }
    return defaultModel(shape, init, conditional == null ? null : conditional.conditioning(BUILT_IN_CLASSES));
  }

  private static Gan defaultModel(Shape shape, Initializer init, Conditioning conditioning) {
    if (shape.dim(0) % 4 != 0 || shape.dim(1) % 4 != 0) {
      throw new UsageException("the default model needs height and width divisible by 4 (two stride-2 upsamplings),"
          + " got " + shape.dim(0) + "x" + shape.dim(1) + "; choose another --image-size");
    }
    return ReferenceModels.dcgan(shape.dim(0), shape.dim(1), shape.dim(2), init, conditioning);
  }

  /** Loads the training images, printing what it does (and download progress) to {@code log}. */
  static Dataset load(Name dataset, Path dataDir, Shape shape, PrintStream log, boolean interactive)
      throws IOException {
    return load(dataset, dataDir, shape, log, interactive, false);
  }

  /**
   * Loads the training or the test images; a folder has no test split (its images are the
   * training images either way).
   */
  static Dataset load(Name dataset, Path dataDir, Shape shape, PrintStream log, boolean interactive, boolean test)
      throws IOException {
    String prefix = test ? "t10k" : "train";
    Cifar10.Split split = test ? Cifar10.Split.TEST : Cifar10.Split.TRAIN;
    switch (dataset) {
      case CIFAR10: {
        Path dir = dataDir != null ? dataDir : Cifar10.defaultDirectory();
        log.println("CIFAR-10 from " + dir + (dataDir == null ? " (downloaded there on first use, 170 MB)" : ""));
        Download.Progress progress = progress(log, interactive);
        return dataDir == null ? Cifar10.load(split, dir, progress) : Cifar10.read(split, dir);
      }
      case FASHION_MNIST:
      case MNIST: {
        Path dir = dataDir != null ? dataDir : dataset == Name.FASHION_MNIST ? FASHION_MNIST : null;
        if (dir == null) {
          throw new UsageException("--dataset mnist needs --data-dir DIR holding train-images-idx3-ubyte[.gz]");
        }
        Path images = firstExisting(dir, prefix + "-images-idx3-ubyte.gz", prefix + "-images-idx3-ubyte");
        Path labels = firstExisting(dir, prefix + "-labels-idx1-ubyte.gz", prefix + "-labels-idx1-ubyte");
        if (images == null) {
          throw new NoSuchFileException(dir.resolve(prefix + "-images-idx3-ubyte.gz").toString(), null,
              dataset == Name.FASHION_MNIST
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
