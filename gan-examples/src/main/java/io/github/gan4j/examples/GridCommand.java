package io.github.gan4j.examples;

import io.github.gan4j.data.DataFormatException;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.ImageGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code grid}: the first samples of an {@code .npy} file (gan4j's {@code generate}, or any
 * other GAN's samples saved with NumPy) as one PNG grid, so samples scored by {@code evaluate}
 * can be looked at side by side.
 */
@Command(name = "grid", sortOptions = false, sortSynopsis = false,
    description = "Draws the first samples of an .npy file (N, H, W, C) in [-1, 1] as one PNG grid.")
final class GridCommand implements Callable<Integer> {
  @Option(names = "--samples", paramLabel = "FILE.npy", required = true,
      description = "float32 samples (N, H, W, 1 or 3) in [-1, 1], as generate writes them")
  Path samples;

  @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "the PNG file to write")
  Path target;

  @Option(names = "--count", paramLabel = "N", defaultValue = "64", converter = OptionTypes.PositiveInt.class,
      description = "how many of the first samples to draw (default ${DEFAULT-VALUE}); the grid is square")
  int count;

  @Option(names = "--scale", paramLabel = "S", defaultValue = "0", converter = OptionTypes.WholeNumber.class,
      description = "pixel repetition per sample pixel (default: about 64 pixels per sample)")
  long scale;

  @Mixin
  Main.HelpOption help;

  private final PrintStream out;

  GridCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new UsageException("--out must be a .png file, got " + target);
    }
    if (!Files.isRegularFile(samples)) {
      throw new UsageException("--samples " + samples + " is not a file");
    }
    if (scale < 0 || scale > 16) {
      throw new UsageException("option --scale is 1 to 16 (or 0 for automatic), got " + scale);
    }
    Npy.Array array = Npy.readFloat32(samples);
    int[] s = array.shape();
    if (s.length != 4 || (s[3] != 1 && s[3] != 3)) {
      throw new DataFormatException(samples, 0, "expected an array (N, height, width, 1 or 3), found shape "
          + Arrays.toString(s), "Save the samples as NHWC float32 in [-1, 1], as generate --out FILE.npy does");
    }
    if (count > s[0]) {
      throw new UsageException(samples + " holds " + s[0] + " samples, fewer than --count " + count);
    }
    Shape shape = Shape.of(s[1], s[2], s[3]);
    int side = (int) Math.ceil(Math.sqrt(count));
    int pixels = (int) (scale > 0 ? scale : Math.max(1, 64 / Math.max(s[1], s[2])));
    writePadded(array.data(), count, shape, side, side, pixels, target);
    out.println("wrote a " + side + "x" + side + " grid of the first " + count + " samples of " + samples + " to "
        + target);
    return 0;
  }

  /**
   * The first {@code count} of {@code images} as a {@code rows x cols} PNG grid, the tiles
   * after them left white (as {@code generate --grid} and this command draw them).
   */
  static void writePadded(float[] images, int count, Shape shape, int rows, int cols, int scale, Path target)
      throws IOException {
    int size = (int) shape.size();
    float[] padded = Arrays.copyOf(images, rows * cols * size);
    Arrays.fill(padded, Math.min(count * size, padded.length), padded.length, 1f);
    ImageGrid.writePng(padded, shape, rows, cols, scale, target);
  }
}
