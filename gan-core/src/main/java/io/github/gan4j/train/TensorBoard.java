package io.github.gan4j.train;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.sample.ImageGrid;
import io.github.gan4j.tf.SummaryWriterGraph;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;

/**
 * TensorBoard event files of a training run, written by TensorFlow's own summary ops: the
 * listener's scalars, sample grid and histograms, and any scalars you add, such as an
 * evaluator's metrics. View them with {@code tensorboard --logdir runs} (every directory under
 * {@code runs} holding event files is one run).
 *
 * <pre>{@code
 * try (TensorBoard board = TensorBoard.open(run.resolve("tensorboard"))) {
 *   trainer.fit(data, Steps.of(10_000), board.listener(), Listeners.checkpoints(run.resolve("checkpoints"), 1_000, 3));
 *   board.scalars(trainer.stepCount(), Map.of("eval/fid", 31.4));   // at the step they belong to
 * }
 * }</pre>
 * or, when nothing else is written, {@code Listeners.tensorBoard(dir)}.
 *
 * <p>What {@link #listener()} writes, at the step each value belongs to
 * ({@link StepMetrics#step()}):
 * <table>
 * <caption>Tags</caption>
 * <tr><th>tag</th><th>what</th><th>when</th></tr>
 * <tr><td>{@code losses/d_loss}, {@code losses/g_loss}</td><td>{@link StepMetrics#dLoss()},
 *     {@link StepMetrics#gLoss()}</td><td rowspan="4">every {@link Options#scalarsEvery()} steps,
 *     every step that is not {@link StepMetrics#finite()}, and the last step of a {@code fit}</td></tr>
 * <tr><td>{@code losses/penalty}</td><td>{@link StepMetrics#penalty()}, on steps that apply one</td></tr>
 * <tr><td>{@code scores/d_x}, {@code scores/d_g_z}, {@code scores/d_g_z_d_update}</td><td>D's outputs
 *     (probabilities) or critic scores: {@link StepMetrics#dReal()}, {@link StepMetrics#dFake()},
 *     {@link StepMetrics#dFakeInDUpdate()}</td></tr>
 * <tr><td>{@code learning_rates/discriminator}, {@code learning_rates/generator},
 *     {@code speed/steps_per_s}</td><td>the learning rate of each network's updates in that step
 *     (the optimizer's times {@link LearningRateSchedule#multiplier}); steps per second, the moving
 *     average of {@link Listeners#jsonLines}</td></tr>
 * <tr><td>{@code samples/image}</td><td>the 5x5 grid of {@link Listeners#sampleGrid} (one row of 5 per class for a conditional GAN): the same fixed
 *     latents, each image scaled up to at least 64 pixels high (images of 1 or 3 channels)</td>
 *     <td>every {@link Options#imagesEvery()} steps</td></tr>
 * <tr><td>{@code weights/generator/dense/kernel}, ...</td><td>histogram of every variable of both
 *     networks (BatchNorm statistics included)</td><td rowspan="2">every
 *     {@link Options#histogramsEvery()} steps</td></tr>
 * <tr><td>{@code gradients/generator/dense/kernel}, ...</td><td>histogram of the gradient each
 *     trainable variable's update applied in that step: the generator's update, and the
 *     discriminator's last update phase (its real and fake updates' gradients summed when they
 *     are separate). Fetched from the step's own run: the updates are bit-identical to a run
 *     without them</td></tr>
 * </table>
 * A histogram of values that are not all finite is not written (TensorFlow refuses them);
 * neither are images or histograms of a step that is not finite.
 *
 * <p><b>Resumed runs continue the same event stream.</b> When a {@code fit} starts at step S
 * (a trainer restored from a checkpoint of step S, or a fresh one at 0), events of steps after
 * S already in the directory are removed first (files are rewritten, atomically): those steps
 * run again and write them anew, so every tag has every step once, for TensorBoard and any
 * other reader ({@link EventFiles}). For the same reason a run that starts at step 0 replaces
 * the events in the directory. Every {@link Trainer#save} during the listener's {@code fit}
 * first writes the current step's values and flushes them, so a run killed after a checkpoint
 * loses no event of the steps that checkpoint holds; otherwise events reach the file at
 * {@link #flush()}, at the end of {@code fit}, and every 10 seconds or 1000 events.
 *
 * <p>Each time writing starts (the first write, or the first after a resume removed events), a
 * new event file is made, named by TensorFlow {@code events.out.tfevents.<seconds>.<host>...}; if
 * the directory holds one of this very second, writing waits for the next second, so that the
 * names sort in the order the files were written, as TensorBoard reads them. One
 * {@code TensorBoard} writes a directory at a time.
 *
 * <p>Owns native memory (a small graph and session of its own, made at the first write): close
 * it. Its methods may be called from any thread (an evaluator's, say).
 */
public final class TensorBoard implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.gan4j");
  private static final int MAX_QUEUE = 1000;
  private static final int FLUSH_MILLIS = 10_000;
  /** Temporary files of a rewrite; their names do not contain {@link EventFiles#NAME_MARK}. */
  private static final String REWRITE_PREFIX = ".gan4j-rewrite-";

  /**
   * How often {@link TensorBoard#listener()} writes what; defaults from {@link #defaults()}.
   *
   * @param scalarsEvery write the scalars every this many steps (positive)
   * @param imagesEvery write the sample grid every this many steps, 0 for never
   * @param histogramsEvery write the weight and gradient histograms every this many steps, 0 for never
   */
  public record Options(int scalarsEvery, int imagesEvery, int histogramsEvery) {
    /** Validates the arguments. */
    public Options {
      if (scalarsEvery <= 0) {
        throw new IllegalArgumentException("scalarsEvery must be positive, was " + scalarsEvery);
      }
      if (imagesEvery < 0) {
        throw new IllegalArgumentException("imagesEvery must not be negative (0 for no images), was " + imagesEvery);
      }
      if (histogramsEvery < 0) {
        throw new IllegalArgumentException("histogramsEvery must not be negative (0 for no histograms), was "
            + histogramsEvery);
      }
    }

    /**
     * Scalars every step, the sample grid every 1000 steps (as the reference's sample plots),
     * histograms every 1000 steps.
     */
    public static Options defaults() {
      return new Options(1, 1000, 1000);
    }

    /** These options with scalars every {@code n} steps. */
    public Options scalarsEvery(int n) {
      return new Options(n, imagesEvery, histogramsEvery);
    }

    /** These options with the sample grid every {@code n} steps (0: never). */
    public Options imagesEvery(int n) {
      return new Options(scalarsEvery, n, histogramsEvery);
    }

    /** These options with histograms every {@code n} steps (0: never). */
    public Options histogramsEvery(int n) {
      return new Options(scalarsEvery, imagesEvery, n);
    }
  }

  private final Path dir;
  private final Options options;
  private SummaryWriterGraph writer;
  private boolean closed;
  /** Whether {@link #highest} is known: the directory was scanned when a fit started. */
  private boolean scanned;
  private long highest = -1;

  private TensorBoard(Path dir, Options options) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Event files in {@code dir} with {@link Options#defaults()}; nothing is made before the first write. */
  public static TensorBoard open(Path dir) {
    return open(dir, Options.defaults());
  }

  /** Event files in {@code dir} (made when first written, as are its parents). */
  public static TensorBoard open(Path dir, Options options) {
    return new TensorBoard(dir, options);
  }

  /** The directory the event files are in. */
  public Path directory() {
    return dir;
  }

  /** How often the listener writes what. */
  public Options options() {
    return options;
  }

  /**
   * A listener for {@link Trainer#fit} that writes this directory's scalars, sample grids and
   * histograms (see the class description). It stays usable for later {@code fit}s; closing
   * stays with this object's owner. At the end of each {@code fit} it flushes.
   */
  public TrainingListener listener() {
    return new Listener(this, false);
  }

  /** A listener that opens a {@code TensorBoard} on {@code dir} at each {@code fit}'s start and closes it at its end. */
  static TrainingListener ownedListener(Path dir, Options options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    return new Listener(open(dir, options), true);
  }

  /** Writes {@code value} as scalar {@code tag} at {@code step} (stored as float32, as TensorFlow stores scalars). */
  public void scalar(String tag, long step, double value) {
    scalars(step, Map.of(Objects.requireNonNull(tag, "tag"), value));
  }

  /**
   * Writes every value as a scalar at {@code step}, tagged by its key: an evaluator's metrics of
   * the model at {@code step}, for example under {@code eval/}. Written at once (one run);
   * flushed as the rest. Non-finite values are written as they are.
   *
   * @throws IllegalArgumentException if {@code step} is negative or a tag is empty
   */
  public synchronized void scalars(long step, Map<String, ? extends Number> values) {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, was " + step);
    }
    Map<String, Float> floats = new LinkedHashMap<>();
    values.forEach((tag, value) -> {
      if (tag == null || tag.isEmpty()) {
        throw new IllegalArgumentException("a scalar's tag must not be empty; got " + values.keySet());
      }
      floats.put(tag, Objects.requireNonNull(value, () -> "value of " + tag).floatValue());
    });
    write(step, floats, List.of(), List.of());
  }

  /** Writes every event given so far to the file. */
  public synchronized void flush() {
    checkOpen();
    if (writer != null) {
      writer.flush();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("TensorBoard writer of " + dir + " is closed");
    }
  }

  synchronized void write(long step, Map<String, Float> scalars, List<SummaryWriterGraph.Image> images,
      List<SummaryWriterGraph.Histogram> histograms) {
    checkOpen();
    if (writer == null) {
      writer = newWriter();
    }
    writer.write(step, scalars, images, histograms);
    highest = Math.max(highest, step);
  }

  private SummaryWriterGraph newWriter() {
    try {
      Files.createDirectories(dir);
      waitForANewSecond();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the TensorBoard directory " + dir, e);
    }
    return new SummaryWriterGraph(dir, MAX_QUEUE, FLUSH_MILLIS);
  }

  /**
   * TensorFlow names event files by the second they were made in, then host, process id and a
   * per-process count; only the second sorts reliably. Waits, at most a second, until it is later
   * than every event file's second in the directory.
   */
  private void waitForANewSecond() throws IOException {
    long newest = -1;
    for (Path f : EventFiles.list(dir)) {
      newest = Math.max(newest, secondOf(f.getFileName().toString()));
    }
    long now = System.currentTimeMillis();
    if (newest == now / 1000) {
      try {
        Thread.sleep(1000 - now % 1000 + 5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The seconds in {@code events.out.tfevents.<seconds>.<host>...}, or -1. */
  static long secondOf(String name) {
    String mark = EventFiles.NAME_MARK + ".";
    int at = name.indexOf(mark);
    if (at < 0) {
      return -1;
    }
    int from = at + mark.length();
    int to = from;
    while (to < name.length() && Character.isDigit(name.charAt(to))) {
      to++;
    }
    return to > from && to - from < 19 ? Long.parseLong(name.substring(from, to)) : -1;
  }

  /**
   * Prepares the directory for a run that continues after {@code step}: removes every event of a
   * later step from its files (closing this writer first if it is open), unless none can be there.
   */
  synchronized void continueAfter(long step) {
    checkOpen();
    if (scanned && highest <= step) {
      return;
    }
    if (writer != null) {
      SummaryWriterGraph w = writer;
      writer = null;
      w.close();
    }
    try {
      highest = keepUpTo(dir, step);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the events after step " + step + " from " + dir, e);
    }
    scanned = true;
  }

  /**
   * Removes the events of steps after {@code step} from every event file in {@code dir}: a file
   * with such events (or a record cut short at its end) is rewritten to a temporary file, forced
   * to the disk and moved over the original atomically; a file left with no summary is deleted.
   *
   * @return the highest step of the events kept, or -1
   */
  static long keepUpTo(Path dir, long step) throws IOException {
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith(REWRITE_PREFIX)) {
          Files.deleteIfExists(p);   // a rewrite that was interrupted: its original is still there
        }
      }
    }
    long highest = -1;
    for (Path file : EventFiles.list(dir)) {
      boolean drop = false;
      boolean summaries = false;
      try (EventRecords.Reader r = new EventRecords.Reader(file)) {
        for (EventRecords.Record record = r.next(); record != null; record = r.next()) {
          Event e = EventFiles.parse(file, record);
          if (kept(e, step)) {
            summaries |= e.hasSummary();
            highest = Math.max(highest, e.hasSummary() ? e.getStep() : -1);
          } else {
            drop = true;
          }
        }
        drop |= r.truncatedAt() >= 0;
      }
      if (!drop) {
        continue;
      }
      if (!summaries) {
        Files.delete(file);
        continue;
      }
      Path tmp = Files.createTempFile(dir, REWRITE_PREFIX, ".tmp");
      try {
        try (EventRecords.Reader r = new EventRecords.Reader(file); EventRecords.Writer w = new EventRecords.Writer(tmp)) {
          for (EventRecords.Record record = r.next(); record != null; record = r.next()) {
            if (kept(EventFiles.parse(file, record), step)) {
              w.write(record.data());
            }
          }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return highest;
  }

  private static boolean kept(Event e, long step) {
    return e.getStep() <= step || e.hasFileVersion();
  }

  /** Flushes and closes the event file and releases the native graph and session; idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (writer != null) {
        SummaryWriterGraph w = writer;
        writer = null;
        w.close();
      }
    }
  }

  /** The listener of {@link #listener()} and {@link Listeners#tensorBoard}. */
  private static final class Listener implements TrainingListener {
    private final Options options;
    private final boolean owned;
    private final TensorBoard template;
    private TensorBoard board;
    private final Listeners.StepRate rate = new Listeners.StepRate();
    private Trainer trainer;
    private Runnable beforeSave;
    private final LongPredicate histogramSteps;
    private long lastObserved;
    private long lastWritten;
    private long lastScalars;
    private StepMetrics last;
    private boolean images = true;

    Listener(TensorBoard board, boolean owned) {
      this.template = board;
      this.owned = owned;
      this.options = board.options;
      this.board = owned ? null : board;
      int every = options.histogramsEvery();
      this.histogramSteps = step -> every > 0 && step % every == 0;
    }

    @Override
    public void onStart(Trainer trainer) {
      if (owned) {
        board = open(template.dir, options);
      }
      board.continueAfter(trainer.stepCount());
      this.trainer = trainer;
      long start = trainer.stepCount();
      rate.start(start);
      lastObserved = start;
      lastWritten = start;
      lastScalars = start;
      last = null;
      beforeSave = this::beforeSave;
      trainer.beforeSave(beforeSave);
      if (options.histogramsEvery() > 0) {
        trainer.requestGradients(histogramSteps);
      }
    }

    @Override
    public void onStep(Trainer trainer, StepMetrics m) {
      record(trainer, m);
    }

    /** Writes the current step's values if they are not yet, and flushes: a checkpoint is about to be saved. */
    private void beforeSave() {
      StepMetrics m = trainer.lastMetrics();
      if (m != null && m.step() == trainer.stepCount() && m.step() > lastWritten) {
        record(trainer, m);
      }
      board.flush();
    }

    private void record(Trainer trainer, StepMetrics m) {
      if (m.step() > lastObserved) {
        rate.add(m);
        lastObserved = m.step();
        last = m;
      }
      if (m.step() <= lastWritten) {
        return;
      }
      lastWritten = m.step();
      long step = m.step();
      Map<String, Float> scalars = step % options.scalarsEvery() == 0 || !m.finite() ? scalars(trainer, m) : Map.of();
      List<SummaryWriterGraph.Image> grid = options.imagesEvery() > 0 && step % options.imagesEvery() == 0
          && m.finite() ? grid(trainer) : List.of();
      List<SummaryWriterGraph.Histogram> histograms = histogramSteps.test(step) && m.finite()
          ? histograms(trainer) : List.of();
      board.write(step, scalars, grid, histograms);
      if (!scalars.isEmpty()) {
        lastScalars = step;
      }
    }

    private Map<String, Float> scalars(Trainer trainer, StepMetrics m) {
      Map<String, Float> s = new LinkedHashMap<>();
      s.put("losses/d_loss", m.dLoss());
      s.put("losses/g_loss", m.gLoss());
      if (!Float.isNaN(m.penalty())) {
        s.put("losses/penalty", m.penalty());
      }
      s.put("scores/d_x", m.dReal());
      s.put("scores/d_g_z", m.dFake());
      if (!Float.isNaN(m.dFakeInDUpdate())) {
        s.put("scores/d_g_z_d_update", m.dFakeInDUpdate());
      }
      TrainingRecipe r = trainer.recipe();
      s.put("learning_rates/discriminator", learningRate(r.discriminatorOptimizer(), r.discriminatorSchedule(),
          m.step()));
      s.put("learning_rates/generator", learningRate(r.generatorOptimizer(), r.generatorSchedule(), m.step()));
      s.put("speed/steps_per_s", (float) rate.stepsPerSecond());
      return s;
    }

    /** The learning rate of step {@code step}'s updates (counted from 1: the counter reads step - 1 then). */
    private static float learningRate(Optimizer optimizer, LearningRateSchedule schedule, long step) {
      return (float) (optimizer.learningRate() * schedule.multiplier(step - 1));
    }

    private List<SummaryWriterGraph.Image> grid(Trainer trainer) {
      Shape shape = trainer.gan().imageShape();
      if (!images) {
        return List.of();
      }
      if (shape.rank() != 3 || (shape.dim(2) != 1 && shape.dim(2) != 3)) {
        images = false;
        LOG.log(System.Logger.Level.WARNING, "TensorBoard: no sample grids for images of shape " + shape
            + "; grids need 1 or 3 channels");
        return List.of();
      }
      int side = 5;
      BufferedImage grid = ImageGrid.toImage(Listeners.gridSamples(trainer, side), shape,
          Listeners.gridRows(trainer, side), side,
          Math.max(1, 64 / shape.dim(0)));
      int w = grid.getWidth();
      int h = grid.getHeight();
      int[] rgb = grid.getRGB(0, 0, w, h, null, 0, w);
      byte[] pixels = new byte[w * h * 3];
      for (int i = 0; i < rgb.length; i++) {
        pixels[3 * i] = (byte) (rgb[i] >> 16);
        pixels[3 * i + 1] = (byte) (rgb[i] >> 8);
        pixels[3 * i + 2] = (byte) rgb[i];
      }
      // TensorFlow's image summary appends "/image" to the tag of a single image
      return List.of(new SummaryWriterGraph.Image("samples", h, w, 3, pixels));
    }

    private static List<SummaryWriterGraph.Histogram> histograms(Trainer trainer) {
      List<SummaryWriterGraph.Histogram> out = new ArrayList<>();
      trainer.networkVariables().forEach((name, values) -> add(out, "weights/" + name, values));
      trainer.lastGradients().forEach((name, values) -> add(out, "gradients/" + name, values));
      return out;
    }

    private static void add(List<SummaryWriterGraph.Histogram> out, String tag, float[] values) {
      for (float v : values) {
        if (!Float.isFinite(v)) {
          return;   // TensorFlow refuses the histogram of a NaN
        }
      }
      out.add(new SummaryWriterGraph.Histogram(tag, values));
    }

    @Override
    public void onEnd(Trainer trainer) {
      try {
        if (last != null && lastScalars < last.step()) {
          board.write(last.step(), scalars(trainer, last), List.of(), List.of());
          lastScalars = last.step();
        }
      } finally {
        trainer.removeBeforeSave(beforeSave);
        trainer.removeGradientRequest(histogramSteps);
        this.trainer = null;
        if (owned) {
          TensorBoard b = board;
          board = null;
          b.close();
        } else {
          board.flush();
        }
      }
    }
  }
}
