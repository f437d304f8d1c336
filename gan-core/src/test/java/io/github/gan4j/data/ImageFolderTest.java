package io.github.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir
  Path dir;

  static void write(Path file, int w, int h, int rgb, String format) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, format, file.toFile());
  }

  @Test
  void readsRecursively_scales_andLabelsBySubfolder() throws IOException {
    write(dir.resolve("cats/a.png"), 64, 48, 0xff0000, "png");
    write(dir.resolve("dogs/deep/b.jpg"), 10, 10, 0x0000ff, "jpg");
    Files.writeString(dir.resolve("dogs/notes.txt"), "not an image");
    Dataset d = ImageFolder.read(dir, 8, 8, 3);
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.imageShape()).isEqualTo(io.github.gan4j.layers.Shape.of(8, 8, 3));
    float[] px = new float[192];
    d.copyImage(0, px, 0);
    assertThat(px[0]).isEqualTo(1f);
    assertThat(px[1]).isEqualTo(-1f);
    assertThat(d.label(0)).isZero();
    assertThat(d.label(1)).isEqualTo(1);
    Dataset gray = ImageFolder.read(dir, 4, 4, 1);
    gray.copyImage(0, px, 0);
    assertThat(px[0]).isCloseTo(Math.round(0.299 * 255) / 127.5f - 1f, org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void unreadableImage_namesTheFile() throws IOException {
    write(dir.resolve("a.png"), 4, 4, 0, "png");
    Files.write(dir.resolve("b.png"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ImageFolder.read(dir, 4, 4, 3)).isInstanceOfSatisfying(DataFormatException.class,
        e -> assertThat(e.file()).isEqualTo(dir.resolve("b.png")));
  }

  @Test
  void emptyFolder_isExplained() {
    assertThatThrownBy(() -> ImageFolder.read(dir, 4, 4, 3)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no .png, .jpg or .jpeg files");
    assertThatThrownBy(() -> ImageFolder.read(dir, 4, 4, 2)).hasMessageContaining("1 (grayscale) or 3 (RGB)");
  }
}
