package io.github.gan4j.data;

import io.github.gan4j.layers.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads every PNG and JPEG file under a directory (recursively, in sorted path order),
 * scales each to the declared height and width (bilinear, ignoring aspect ratio) and
 * converts it to 1 channel (luminance) or 3 (RGB). Images are held as one byte per value.
 * When the images sit in sub-directories, the sub-directory (in sorted order) is the label.
 */
public final class ImageFolder {
  private ImageFolder() {}

  /**
   * Reads the images under {@code dir} as {@code height x width x channels} (channels 1 or 3).
   *
   * @throws DataFormatException naming the file that is not a readable image
   * @throws NoSuchFileException if {@code dir} is missing or holds no PNG or JPEG file
   */
  public static Dataset read(Path dir, int height, int width, int channels) throws IOException {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("image folders give 1 (grayscale) or 3 (RGB) channels, not " + channels);
    }
    Shape shape = Shape.of(height, width, channels);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a directory of images");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new NoSuchFileException(dir.toString(), null, "no .png, .jpg or .jpeg files under it");
    }
    TreeMap<String, Integer> classes = new TreeMap<>();
    for (Path f : files) {
      classes.put(classOf(dir, f), 0);
    }
    int k = 0;
    for (String c : classes.keySet()) {
      classes.put(c, k++);
    }
    int size = (int) shape.size();
    byte[] pixels = new byte[Math.multiplyExact(files.size(), size)];
    int[] labels = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      BufferedImage img;
      try {
        img = ImageIO.read(f.toFile());
      } catch (IOException | RuntimeException e) {
        throw new DataFormatException(f, 0, "not a readable image (" + e.getMessage() + ")",
            "remove or replace the file");
      }
      if (img == null) {
        throw new DataFormatException(f, 0, "not a readable PNG or JPEG image", "remove or replace the file");
      }
      BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, width, height, null);
      g.dispose();
      int at = i * size;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int rgb = scaled.getRGB(x, y);
          int r = (rgb >> 16) & 0xff;
          int gr = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (channels == 3) {
            pixels[at++] = (byte) r;
            pixels[at++] = (byte) gr;
            pixels[at++] = (byte) b;
          } else {
            pixels[at++] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
          }
        }
      }
      labels[i] = classes.get(classOf(dir, f));
    }
    return new InMemoryDataset(shape, null, pixels, classes.size() > 1 ? labels : null,
        dir.getFileName() == null ? "images" : dir.getFileName().toString());
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  private static String classOf(Path root, Path file) {
    Path rel = root.relativize(file);
    return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
  }

}
