package io.github.gan4j.eval;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Directories;
import io.github.gan4j.internal.Digests;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.tf.ClassifierGraph;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Measures how close generated images are to real ones, through the features of a network
 * that has seen real images: Frechet distance, KID, precision and recall, and (with logits)
 * a classifier score, the entropy of the predicted classes and class coverage
 * ({@link Evaluation}).
 *
 * <p>Two kinds of feature network:
 * <ul>
 *   <li>{@link #classifier(String, Dataset, Dataset)}: for a labelled dataset, a small CNN
 *       that gan4j trains on the training images (in its own TensorFlow graph, seeded), tests
 *       on the test split and saves as a SavedModel with a manifest under
 *       {@code ~/.gan4j/evaluators/<id>/}; later calls load it (verified) instead of training
 *       again. Its features are the penultimate layer (128 units), its logits the last.</li>
 *   <li>{@link #fromSavedModel(Path, String, String)}: a model you supply, such as
 *       Inception-v3 exported with its 2048 pool features as an output, which gives the standard
 *       FID (its numbers are then comparable with published ones only as far as the
 *       preprocessing agrees: images are fed in [-1, 1], resized bilinearly).</li>
 * </ul>
 *
 * <pre>{@code
 * try (Evaluator evaluator = Evaluator.classifier("fashion-mnist", train, test).build();
 *     TrainedGenerator generator = TrainedGenerator.load(run.resolve("generator"))) {
 *   Reference reference = evaluator.reference(test, 10_000, 0);   // once
 *   Evaluation e = evaluator.evaluate(reference, generator, 10_000, 1);
 *   System.out.print(e.format());
 * }
 * }</pre>
 *
 * <p>Thread-safe: references and evaluations may be computed from several threads at once;
 * they share one TensorFlow session, and the pairwise metrics use the common fork-join pool.
 * An evaluator owns native memory: close it.
 */
public final class Evaluator implements AutoCloseable {
  /** KID's number of subsets (Binkowski et al. 2018's default). */
  public static final int KID_SUBSETS = 100;
  /** KID's subset size, from each set (smaller when a set is smaller). */
  public static final int KID_SUBSET_SIZE = 1000;
  /** Precision and recall's k: each image's manifold ball reaches its k-th nearest neighbour (Kynkaanniemi et al.). */
  public static final int NEIGHBOURS = 3;

  private static final System.Logger LOG = System.getLogger("io.github.gan4j");
  /** Floats per model call: batches of about 16 MB of input. */
  private static final int BATCH_FLOATS = 4 << 20;

  private final FeatureModel model;
  private final String id;
  private final double accuracy;
  private final String featureLayer;
  private final Shape imageShape;
  private final Path directory;
  private final boolean cached;

  private Evaluator(FeatureModel model, String id, double accuracy, String featureLayer, Shape imageShape,
      Path directory, boolean cached) {
    this.model = model;
    this.id = id;
    this.accuracy = accuracy;
    this.featureLayer = featureLayer;
    this.imageShape = imageShape;
    this.directory = directory;
    this.cached = cached;
  }

  /**
   * An evaluator whose features come from a CNN classifier trained on {@code train} and tested
   * on {@code test}: set options on the returned builder, then {@link ClassifierBuilder#build()}
   * loads it from the cache or trains and saves it.
   *
   * @param dataset a short name for the data, the start of the evaluator's id and cache
   *     directory, e.g. {@code fashion-mnist}
   * @param train the labelled training images the classifier learns from
   * @param test the labelled test images its accuracy is measured on (and, usually, the
   *     reference images of {@link #reference})
   * @throws IllegalArgumentException if either dataset has no labels: the message says to
   *     give labelled data or a feature model ({@link #fromSavedModel}); or if their image
   *     shapes differ
   */
  public static ClassifierBuilder classifier(String dataset, Dataset train, Dataset test) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    for (Dataset d : new Dataset[] {train, test}) {
      if (!d.hasLabels()) {
        throw new IllegalArgumentException("cannot train an evaluator's classifier on " + d.name() + ": it has no"
            + " class labels. Either give labelled images (Idx.read(images, labels), Cifar10, Datasets.fromBytes("
            + "pixels, labels, ...)), or give a feature model: Evaluator.fromSavedModel(dir, featureOutput) with a"
            + " SavedModel that maps images to features (Inception-v3's pool features give the standard FID), and"
            + " use a held-out part of your images as the reference");
      }
    }
    if (!train.imageShape().equals(test.imageShape())) {
      throw new IllegalArgumentException("training images " + train.imageShape() + " and test images "
          + test.imageShape() + " differ in shape; give two splits of one dataset");
    }
    if (!dataset.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("dataset name '" + dataset + "' must be letters, digits, '.', '_' and '-'"
          + " (it names the cache directory), e.g. fashion-mnist");
    }
    return new ClassifierBuilder(dataset, train, test);
  }

  /**
   * Loads an evaluator saved by {@link ClassifierBuilder#build()} from its directory, after
   * verifying its manifest (format and the SHA-256 of every file).
   *
   * @throws EvaluatorException if the directory holds no evaluator, or a damaged, incomplete or
   *     altered one; the message names the file
   */
  public static Evaluator load(Path dir) {
    EvaluatorFormat.Manifest m = EvaluatorFormat.verify(dir);
    return load(dir, m, true);
  }

  private static Evaluator load(Path dir, EvaluatorFormat.Manifest m, boolean cached) {
    FeatureModel model = FeatureModel.load(dir, ClassifierGraph.FEATURES, ClassifierGraph.LOGITS);
    return new Evaluator(model, m.id(), m.accuracy(), m.featureLayer(), m.imageShape(), dir, cached);
  }

  /**
   * An evaluator whose features are the output {@code featureOutput} of a SavedModel you
   * supply, without class statistics.
   *
   * @see #fromSavedModel(Path, String, String)
   */
  public static Evaluator fromSavedModel(Path dir, String featureOutput) {
    return fromSavedModel(dir, featureOutput, null);
  }

  /**
   * An evaluator on a SavedModel you supply: its signature {@code serving_default} (or its only
   * signature) must take one float32 input, a batch of images (batch, height, width, channels),
   * and give the features as the output named {@code featureOutput} (any shape (batch, ...),
   * flattened) and, optionally, class logits as {@code logitsOutput}. Images reach it in
   * gan4j's range [-1, 1]; when its input has a fixed height and width they are resized
   * bilinearly, and grey images are repeated into three channels when it takes RGB. Put any
   * other preprocessing inside the model. With Inception-v3's 2048 pool features this gives
   * the standard FID, up to preprocessing. The evaluator's id is
   * {@code savedmodel-<folder>-<12 hex digits>}, a SHA-256 over the model's files (graph and
   * weights), so another model in the same folder gets another id (and so does a re-export,
   * which TensorFlow does not write byte for byte the same).
   *
   * @param logitsOutput the output with class logits, or null for none (the class statistics are NaN)
   * @throws IllegalArgumentException if the model has no such output or does not take images
   */
  public static Evaluator fromSavedModel(Path dir, String featureOutput, String logitsOutput) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(featureOutput, "featureOutput");
    String hash = contentHash(dir);
    FeatureModel model = FeatureModel.load(dir, featureOutput, logitsOutput);
    String folder = dir.toAbsolutePath().normalize().getFileName() == null ? "model"
        : dir.toAbsolutePath().normalize().getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    return new Evaluator(model, "savedmodel-" + folder + "-" + hash, Double.NaN, featureOutput, null, dir, false);
  }

  /** The first 12 hex digits of a SHA-256 over every file of a SavedModel (names and contents), "" if unreadable. */
  private static String contentHash(Path dir) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return "";   // FeatureModel.load says what is missing
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      StringBuilder all = new StringBuilder();
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        all.append(dir.relativize(f)).append(' ').append(Digests.sha256(f)).append('\n');
      }
      return Digests.sha256(all.toString()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SavedModel in " + dir, e);
    }
  }

  /**
   * The default directory of cached evaluators: the {@code gan4j.evaluators.dir} system
   * property, else the {@code GAN4J_EVALUATORS_DIR} environment variable, else
   * {@code ~/.gan4j/evaluators}.
   */
  public static Path defaultDirectory() {
    String dir = System.getProperty("gan4j.evaluators.dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("GAN4J_EVALUATORS_DIR");
    }
    return dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".gan4j", "evaluators")
        : Path.of(dir);
  }

  /**
   * The evaluator's id, recorded in every {@link Evaluation.Protocol}: for a trained classifier
   * {@code <dataset>-<12 hex digits>} (a hash of both datasets' content, the architecture and
   * the training settings; also its cache directory's name), for a user's model
   * {@code savedmodel-<folder>-<12 hex digits of a SHA-256 over its files>}.
   */
  public String id() {
    return id;
  }

  /** The classifier's accuracy on its dataset's test split, or NaN for a user-supplied model. */
  public double accuracy() {
    return accuracy;
  }

  /** The layer the features come from (for a user's model, the output's name). */
  public String featureLayer() {
    return featureLayer;
  }

  /** The directory the model was loaded from (for a trained classifier, its cache directory). */
  public Path directory() {
    return directory;
  }

  /**
   * Whether the classifier was loaded from a saved evaluator rather than trained by this
   * {@link ClassifierBuilder#build()} call (false for a user's model).
   */
  public boolean cached() {
    return cached;
  }

  /**
   * Computes the reference side of the metrics from {@code count} images of {@code data}
   * chosen at random with {@code seed} (all of them, in order, when {@code count} is its size):
   * their features, the Gaussian fitted to them and its covariance's square root, their
   * nearest-neighbour radii and KID's within-set sums. Use the real test split, or a held-out
   * part of the images the generator did not train on.
   *
   * @throws IllegalArgumentException if {@code count} is not in {@code [NEIGHBOURS + 1, data.size()]} or the
   *     images do not have the shape the classifier was trained on
   */
  public Reference reference(Dataset data, int count, long seed) {
    Objects.requireNonNull(data, "data");
    if (count <= NEIGHBOURS || count > data.size()) {
      throw new IllegalArgumentException("reference count must be in [" + (NEIGHBOURS + 1) + ", " + data.size()
          + "] (the images of " + data.name() + "), was " + count);
    }
    checkShape(data.imageShape(), data.name());
    int[] chosen = choose(data.size(), count, seed);
    Shape shape = data.imageShape();
    int imageSize = (int) shape.size();
    ModelInput adapt = model.inputFor(shape);
    int batch = batchFor(adapt);
    float[] images = new float[batch * imageSize];
    Features all = new Features(count);
    for (int start = 0; start < count; start += batch) {
      int n = Math.min(batch, count - start);
      for (int i = 0; i < n; i++) {
        data.copyImage(chosen[start + i], images, i * imageSize);
      }
      all.add(model.run(images, 0, n, adapt), start, n);
    }
    int[] histogram = all.logits == null ? null : ClassStatistics.of(all.logits, count, all.classes).histogram();
    return new Reference(id, data.name(), count, seed, shape, all.features, all.featureSize, histogram);
  }

  /**
   * Measures {@code images} (NHWC floats in [-1, 1], image after image, of the reference's
   * image shape) against {@code reference}. The protocol records no seed.
   *
   * @throws IllegalArgumentException if the reference belongs to another evaluator, the array
   *     is not a whole number of images, there are fewer than {@code NEIGHBOURS + 1} of them,
   *     or a value is not finite (the message names the image)
   */
  public Evaluation evaluate(Reference reference, float[] images) {
    long start = System.nanoTime();
    checkReference(reference);
    int imageSize = (int) reference.imageShape().size();
    if (images.length == 0 || images.length % imageSize != 0) {
      throw new IllegalArgumentException("got " + images.length + " values, not a whole number of "
          + reference.imageShape() + " images (" + imageSize + " values each)");
    }
    int count = images.length / imageSize;
    checkCount(count);
    ModelInput adapt = model.inputFor(reference.imageShape());
    int batch = batchFor(adapt);
    Features all = new Features(count);
    for (int first = 0; first < count; first += batch) {
      int n = Math.min(batch, count - first);
      checkFinite(images, first, n, imageSize);
      all.add(model.run(images, first, n, adapt), first, n);
    }
    return measure(reference, all, count, OptionalLong.empty(), start);
  }

  /**
   * The class its classifier predicts (the arg-max of its logits) for each of {@code images}
   * (NHWC, pixels in [-1, 1], each of {@code imageShape}): e.g. to check that a conditional
   * generator's images of class c look like class c.
   *
   * @throws IllegalStateException if the evaluator's model has no logits (a user-supplied model
   *     loaded without them)
   * @throws IllegalArgumentException if the array is not a whole number of images, or a value
   *     is not finite
   */
  public int[] classify(float[] images, Shape imageShape) {
    Objects.requireNonNull(imageShape, "imageShape");
    int imageSize = (int) imageShape.size();
    if (images.length == 0 || images.length % imageSize != 0) {
      throw new IllegalArgumentException("got " + images.length + " values, not a whole number of "
          + imageShape + " images (" + imageSize + " values each)");
    }
    int count = images.length / imageSize;
    ModelInput adapt = model.inputFor(imageShape);
    int batch = batchFor(adapt);
    int[] classes = new int[count];
    for (int first = 0; first < count; first += batch) {
      int n = Math.min(batch, count - first);
      checkFinite(images, first, n, imageSize);
      FeatureModel.Output out = model.run(images, first, n, adapt);
      if (out.logits() == null) {
        throw new IllegalStateException("evaluator " + id + " has no logits to classify with; load a model with"
            + " its logits output, Evaluator.fromSavedModel(dir, featureOutput, logitsOutput)");
      }
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int c = 1; c < out.classes(); c++) {
          if (out.logits()[i * out.classes() + c] > out.logits()[i * out.classes() + best]) {
            best = c;
          }
        }
        classes[first + i] = best;
      }
    }
    return classes;
  }

  /**
   * Generates {@code count} images with {@code generator} from latents drawn with {@code seed}
   * from the sampler it was trained with (the images of {@code generator.generate(count, seed)},
   * made in batches) and measures them against {@code reference}.
   *
   * @throws IllegalStateException if the generator was trained with a custom sampler, which an
   *     export cannot record (use {@link #evaluate(Reference, float[])} with images you generate)
   * @throws IllegalArgumentException if its images do not have the reference's shape
   */
  public Evaluation evaluate(Reference reference, TrainedGenerator generator, int count, long seed) {
    Sampler sampler = generator.sampler().orElseThrow(() -> new IllegalStateException("this generator was trained"
        + " with a custom sampler, which an export cannot record; generate the images yourself and call"
        + " evaluate(reference, images)"));
    return generated(reference, generator.imageShape(), generator.latentDim(), sampler, count, seed,
        generator::generate);
  }

  /**
   * Generates {@code count} images with the trainer's generator (inference mode) from latents
   * drawn with {@code seed} from its sampler (the images of {@code trainer.generate(count, seed)},
   * made in batches) and measures them against {@code reference}. Call it between steps (a
   * listener does: {@link Evaluations#every}).
   */
  public Evaluation evaluate(Reference reference, Trainer trainer, int count, long seed) {
    return generated(reference, trainer.gan().imageShape(), trainer.gan().latentDim(), trainer.recipe().sampler(),
        count, seed, trainer::generate);
  }

  private Evaluation generated(Reference reference, Shape shape, int latentDim, Sampler sampler, int count, long seed,
      UnaryOperator<float[]> generate) {
    long start = System.nanoTime();
    checkReference(reference);
    checkCount(count);
    if (!shape.equals(reference.imageShape())) {
      throw new IllegalArgumentException("the generator makes " + shape + " images, the reference holds "
          + reference.imageShape() + " images");
    }
    float[] latents = new float[count * latentDim];
    sampler.sample(seed, 0, latents);   // all at once: the same latents as generate(count, seed)
    ModelInput adapt = model.inputFor(shape);
    int batch = Math.min(batchFor(adapt), 500);
    int imageSize = (int) shape.size();
    Features all = new Features(count);
    for (int first = 0; first < count; first += batch) {
      int n = Math.min(batch, count - first);
      float[] z = java.util.Arrays.copyOfRange(latents, first * latentDim, (first + n) * latentDim);
      float[] images = generate.apply(z);
      checkFinite(images, 0, n, imageSize);
      all.add(model.run(images, 0, n, adapt), first, n);
    }
    return measure(reference, all, count, OptionalLong.of(seed), start);
  }

  private Evaluation measure(Reference reference, Features samples, int count, OptionalLong seed, long start) {
    int d = reference.featureSize;
    if (samples.featureSize != d) {
      throw new IllegalStateException("the model gave " + samples.featureSize + " features per image, the reference has "
          + d);
    }
    double fd = FrechetDistance.between(reference.gaussian, reference.sqrtCovariance(),
        Gaussian.of(samples.features, count, d));
    int m = Math.min(KID_SUBSET_SIZE, Math.min(count, reference.count()));
    Reference.KidSide referenceKid = reference.kid(m);
    SubsetPlan plan = SubsetPlan.draw(count, KID_SUBSETS, m, reference.seed() * 0x9E3779B97F4A7C15L + 0x53414DL);
    FeatureSets.Within within = FeatureSets.within(samples.features, count, d, NEIGHBOURS, plan);
    FeatureSets.Between between = FeatureSets.between(reference.features, reference.radius2, referenceKid.plan(),
        samples.features, within.radius2(), plan, reference.count(), count, d);
    FeatureSets.Kid kid = FeatureSets.kid(referenceKid.kernelSums(), within.kernelSums(), between.kernelSums(), m);
    double score = Double.NaN;
    double entropy = Double.NaN;
    double coverage = Double.NaN;
    int classes = 0;
    if (samples.logits != null && reference.histogram != null) {
      classes = samples.classes;
      ClassStatistics.Result c = ClassStatistics.of(samples.logits, count, classes);
      score = c.score();
      entropy = c.entropyBits();
      coverage = ClassStatistics.coverage(c.histogram(), reference.histogram);
    }
    Evaluation.Protocol protocol = new Evaluation.Protocol(id, accuracy, featureLayer, d, classes, count, seed,
        reference.name(), reference.count(), reference.seed(), KID_SUBSETS, m, NEIGHBOURS);
    return new Evaluation(fd, kid.mean(), kid.std(), between.precision(), between.recall(), score, entropy, coverage,
        protocol, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Features (and logits) of a set, filled batch by batch. */
  private static final class Features {
    final int count;
    float[] features;
    int featureSize;
    float[] logits;
    int classes;

    Features(int count) {
      this.count = count;
    }

    void add(FeatureModel.Output out, int first, int n) {
      if (features == null) {
        featureSize = out.featureSize();
        features = new float[count * featureSize];
        if (out.logits() != null) {
          classes = out.classes();
          logits = new float[count * classes];
        }
      }
      System.arraycopy(out.features(), 0, features, first * featureSize, n * featureSize);
      if (logits != null) {
        System.arraycopy(out.logits(), 0, logits, first * classes, n * classes);
      }
    }
  }

  private static int batchFor(ModelInput adapt) {
    return (int) Math.max(1, Math.min(1000, BATCH_FLOATS / adapt.to().size()));
  }

  private void checkReference(Reference reference) {
    Objects.requireNonNull(reference, "reference");
    if (!reference.evaluator().equals(id)) {
      throw new IllegalArgumentException("the reference was made by evaluator " + reference.evaluator()
          + ", this is " + id + "; features of different models cannot be compared. Make the reference with"
          + " this evaluator's reference(...)");
    }
  }

  private static void checkCount(int count) {
    if (count <= NEIGHBOURS) {
      throw new IllegalArgumentException("need at least " + (NEIGHBOURS + 1) + " images to evaluate"
          + " (precision and recall use each image's " + NEIGHBOURS + "rd nearest neighbour), got " + count);
    }
  }

  private void checkShape(Shape shape, String what) {
    if (imageShape != null && !imageShape.equals(shape)) {
      throw new IllegalArgumentException(what + " has " + shape + " images; evaluator " + id + " was trained on "
          + imageShape + " images");
    }
  }

  private static void checkFinite(float[] images, int first, int n, int imageSize) {
    for (int i = first * imageSize; i < (first + n) * imageSize; i++) {
      if (!Float.isFinite(images[i])) {
        throw new IllegalArgumentException("image " + (i / imageSize) + " has the value " + images[i] + " at pixel "
            + (i % imageSize) + "; evaluated images must be finite (generated images in [-1, 1])");
      }
    }
  }

  /** {@code count} distinct indices out of {@code size}: all in order, or a seeded random choice. */
  private static int[] choose(int size, int count, long seed) {
    int[] index = new int[size];
    for (int i = 0; i < size; i++) {
      index[i] = i;
    }
    if (count == size) {
      return index;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(size - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    return java.util.Arrays.copyOf(index, count);
  }

  /** Releases the model's native session; idempotent. Use after close throws {@link IllegalStateException}. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "Evaluator " + id + (Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " (test accuracy %.2f%%)",
        100 * accuracy)) + ", features " + featureLayer + ", from " + directory;
  }

  /**
   * Builds an {@link Evaluator} on a classifier trained by gan4j: from the cache when a saved
   * one of the same data and settings exists (verified, never retrained), else by training one
   * (a few minutes of CPU at most for 28x28 and 32x32 datasets) and saving it there. Setters
   * validate at once; {@link #build()} may be called again.
   */
  public static final class ClassifierBuilder {
    /** Default number of passes over the training images. */
    public static final int DEFAULT_EPOCHS = 3;
    /** Default images per training step. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final String dataset;
    private final Dataset train;
    private final Dataset test;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private long seed = 0;
    private Path cacheDirectory;

    private ClassifierBuilder(String dataset, Dataset train, Dataset test) {
      this.dataset = dataset;
      this.train = train;
      this.test = test;
    }

    /** Passes over the training images (default {@value #DEFAULT_EPOCHS}). */
    public ClassifierBuilder epochs(int epochs) {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs must be positive, was " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Images per training step (default {@value #DEFAULT_BATCH_SIZE}). */
    public ClassifierBuilder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The seed of the initial weights and the order of the training images (default 0). */
    public ClassifierBuilder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Where evaluators are cached, one directory each (default {@link Evaluator#defaultDirectory()}). */
    public ClassifierBuilder cacheDirectory(Path dir) {
      this.cacheDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Loads the evaluator from the cache, or trains, tests and saves it there first. The cache
     * key (the id) is a hash of both datasets' content, the architecture and these settings, so
     * other data or settings never load a stale classifier. Training logs one line per epoch
     * ({@code System.Logger} {@code io.github.gan4j}, INFO).
     *
     * @throws EvaluatorException if the cached evaluator is damaged (the message names the file
     *     and says to delete the directory, which makes the next build train it again)
     * @throws UncheckedIOException if the cache directory cannot be written
     */
    public Evaluator build() {
      Key key = key();
      String trainFingerprint = key.trainFingerprint();
      String testFingerprint = key.testFingerprint();
      Shape shape = train.imageShape();
      int classes = key.classes();
      String training = key.training();
      String id = key.id();
      Path root = cacheDirectory != null ? cacheDirectory : defaultDirectory();
      Path dir = root.resolve(id);
      if (Files.exists(dir)) {
        return loadCached(dir, trainFingerprint, testFingerprint);
      }
      try {
        Files.createDirectories(root);
        Path tmp = root.resolve(id + ".tmp-" + ProcessHandle.current().pid());
        Directories.deleteRecursively(tmp);
        try {
          EvaluatorFormat.Manifest manifest = train(tmp, id, shape, classes, training, trainFingerprint,
              testFingerprint);
          EvaluatorFormat.write(tmp, manifest);
          try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException e) {
            if (!Files.exists(dir)) {
              throw e;
            }
            // another process saved the same evaluator first: use theirs
            return loadCached(dir, trainFingerprint, testFingerprint);
          }
        } finally {
          Directories.deleteRecursively(tmp);
        }
        EvaluatorFormat.Manifest saved = EvaluatorFormat.verify(dir);
        return Evaluator.load(dir, saved, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the evaluator in " + dir, e);
      }
    }

    /**
     * The id of the evaluator these data and settings make (what {@link #build()} loads or
     * trains): {@code <dataset>-<12 hex digits>}. Reads every image once to fingerprint it.
     */
    public String id() {
      return key().id();
    }

    /** The cache key of these data and settings, with the parts the manifest records. */
    private record Key(String id, String trainFingerprint, String testFingerprint, int classes, String training) {}

    private Key key() {
      String trainFingerprint = EvaluatorFormat.fingerprint(train);
      String testFingerprint = EvaluatorFormat.fingerprint(test);
      int classes = classes();
      String training = String.format(Locale.ROOT, "%s; %d epochs, batch %d, adam(learningRate=0.001), seed %d",
          ClassifierGraph.describe(train.imageShape(), classes), epochs, batchSize, seed);
      String id = dataset + "-" + Digests.sha256(EvaluatorFormat.VERSION + "\n" + trainFingerprint + "\n"
          + testFingerprint + "\n" + training).substring(0, 12);
      return new Key(id, trainFingerprint, testFingerprint, classes, training);
    }

    private Evaluator loadCached(Path dir, String trainFingerprint, String testFingerprint) {
      EvaluatorFormat.Manifest m = EvaluatorFormat.verify(dir);
      if (!m.trainFingerprint().equals(trainFingerprint) || !m.testFingerprint().equals(testFingerprint)) {
        throw new EvaluatorException(dir, "saved evaluator " + dir + " was trained on other images ("
            + EvaluatorFormat.MANIFEST + " records training fingerprint " + m.trainFingerprint() + " and test "
            + m.testFingerprint() + "; these are " + trainFingerprint + " and " + testFingerprint
            + "); delete " + dir + " to train it again");
      }
      LOG.log(System.Logger.Level.DEBUG, "evaluator " + m.id() + " loaded from " + dir);
      return Evaluator.load(dir, m, true);
    }

    private int classes() {
      int max = -1;
      for (int i = 0; i < train.size(); i++) {
        int label = train.label(i);
        if (label < 0) {
          throw new IllegalArgumentException(train.name() + " has the label " + label + " at image " + i
              + "; class labels must be 0, 1, 2, ...");
        }
        max = Math.max(max, label);
      }
      for (int i = 0; i < test.size(); i++) {
        int label = test.label(i);
        if (label < 0 || label > max) {
          throw new IllegalArgumentException(test.name() + " has the label " + label + " at image " + i
              + ", a class the training images (labels 0.." + max + ") do not have");
        }
      }
      if (max < 1) {
        throw new IllegalArgumentException(train.name() + " has one class only; a classifier needs at least two");
      }
      return max + 1;
    }

    private EvaluatorFormat.Manifest train(Path dir, String id, Shape shape, int classes, String training,
        String trainFingerprint, String testFingerprint) throws IOException {
      long start = System.nanoTime();
      LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "training evaluator %s: a %,d-parameter CNN on"
              + " %,d images of %s, %d epochs (once; then cached in %s)", id,
          ClassifierGraph.parameters(shape, classes), train.size(), dataset, epochs, dir.resolveSibling(id)));
      try (ClassifierGraph graph = new ClassifierGraph(shape, classes, batchSize, seed)) {
        graph.train(train, epochs, e -> LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
            "evaluator %s: epoch %d/%d  loss %.4f  training accuracy %.2f%%  %.1f s", id, e.epoch(), e.epochs(),
            e.meanLoss(), 100 * e.trainAccuracy(), e.seconds())));
        graph.export(dir);
      }
      double accuracy;
      try (FeatureModel model = FeatureModel.load(dir, ClassifierGraph.FEATURES, ClassifierGraph.LOGITS)) {
        accuracy = accuracy(model, shape);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "evaluator %s: test accuracy %.2f%% on %,d images;"
          + " trained and tested in %.1f s", id, 100 * accuracy, test.size(), seconds));
      return new EvaluatorFormat.Manifest(id, dataset, train.name(), trainFingerprint, test.name(), testFingerprint,
          shape, classes, accuracy, ClassifierGraph.FEATURE_LAYER, ClassifierGraph.FEATURE_SIZE,
          training + String.format(Locale.ROOT, "; %.1f s", seconds));
    }

    private double accuracy(FeatureModel model, Shape shape) {
      int imageSize = (int) shape.size();
      ModelInput adapt = model.inputFor(shape);
      int batch = batchFor(adapt);
      float[] images = new float[batch * imageSize];
      long right = 0;
      for (int start = 0; start < test.size(); start += batch) {
        int n = Math.min(batch, test.size() - start);
        for (int i = 0; i < n; i++) {
          test.copyImage(start + i, images, i * imageSize);
        }
        FeatureModel.Output out = model.run(images, 0, n, adapt);
        for (int i = 0; i < n; i++) {
          int best = 0;
          for (int c = 1; c < out.classes(); c++) {
            if (out.logits()[i * out.classes() + c] > out.logits()[i * out.classes() + best]) {
              best = c;
            }
          }
          right += best == test.label(start + i) ? 1 : 0;
        }
      }
      return (double) right / test.size();
    }
  }
}
