package io.github.gan4j.sample;

import io.github.gan4j.layers.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Tiles images with pixels in [-1, 1] into one picture, like the reference's 5x5 sample
 * plot, and writes it as PNG.
 */
public final class ImageGrid {
  private ImageGrid() {}

  /**
   * Tiles the first {@code rows * cols} images of {@code images} (NHWC floats in [-1, 1],
   * image after image), each scaled up {@code scale} times by pixel repetition, with a
   * {@code scale}-pixel gap between tiles. Values outside [-1, 1] are clipped.
   *
   * @throws IllegalArgumentException if there are fewer images than tiles, or the shape has
   *     other than 1 or 3 channels
   */
  public static BufferedImage toImage(float[] images, Shape shape, int rows, int cols, int scale) {
    if (shape.rank() != 3 || (shape.dim(2) != 1 && shape.dim(2) != 3)) {
      throw new IllegalArgumentException("image grids need (height, width, 1 or 3) images, got " + shape);
    }
    if (rows <= 0 || cols <= 0 || scale <= 0) {
      throw new IllegalArgumentException("rows, cols and scale must be positive");
    }
    int h = shape.dim(0);
    int w = shape.dim(1);
    int c = shape.dim(2);
    int size = (int) shape.size();
    if ((long) images.length < (long) rows * cols * size) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " grid needs " + rows * cols + " images of "
          + shape + " but got " + images.length / size);
    }
    int gap = scale;
    int width = cols * w * scale + (cols + 1) * gap;
    int height = rows * h * scale + (rows + 1) * gap;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out.setRGB(x, y, 0xffffff);
      }
    }
    for (int t = 0; t < rows * cols; t++) {
      int ox = gap + (t % cols) * (w * scale + gap);
      int oy = gap + (t / cols) * (h * scale + gap);
      int base = t * size;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = base + (y * w + x) * c;
          int r = toByte(images[p]);
          int g = c == 3 ? toByte(images[p + 1]) : r;
          int b = c == 3 ? toByte(images[p + 2]) : r;
          int rgb = (r << 16) | (g << 8) | b;
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              out.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
            }
          }
        }
      }
    }
    return out;
  }

  /** Writes {@link #toImage} as a PNG file, atomically (a temporary file moved into place). */
  public static void writePng(float[] images, Shape shape, int rows, int cols, int scale, Path file)
      throws IOException {
    BufferedImage image = toImage(images, shape, rows, cols, scale);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".grid", ".png.tmp");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static int toByte(float v) {
    float clipped = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v));
    return Math.round((clipped + 1f) * 127.5f);
  }
}
