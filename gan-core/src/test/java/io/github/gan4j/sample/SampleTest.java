package io.github.gan4j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.layers.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleTest {

  @Test
  void samplers_arePureFunctionsOfSeedAndStream() {
    for (Sampler s : new Sampler[] {Sampler.normal(), Sampler.uniform(-1, 1), Sampler.truncatedNormal()}) {
      float[] a = new float[1000];
      float[] b = new float[1000];
      float[] c = new float[1000];
      s.sample(3, 5, a);
      s.sample(3, 5, b);
      s.sample(3, 6, c);
      assertThat(a).as(s.describe()).containsExactly(b);
      assertThat(a).as(s.describe()).isNotEqualTo(c);
    }
  }

  @Test
  void samplers_haveTheirDistributions() {
    float[] n = new float[100_000];
    Sampler.normal().sample(1, 0, n);
    double mean = 0;
    double sq = 0;
    for (float v : n) {
      mean += v;
      sq += v * v;
    }
    mean /= n.length;
    assertThat(mean).isBetween(-0.02, 0.02);
    assertThat(sq / n.length).isBetween(0.97, 1.03);
    float[] u = new float[10_000];
    Sampler.uniform(2, 3).sample(1, 0, u);
    for (float v : u) {
      assertThat(v).isBetween(2f, 3f);
    }
    float[] t = new float[10_000];
    Sampler.truncatedNormal().sample(1, 0, t);
    for (float v : t) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(2f);
    }
  }

  @Test
  void samplers_validateArguments() {
    assertThatThrownBy(() -> Sampler.uniform(1, 1)).hasMessageContaining("low < high");
    assertThatThrownBy(() -> new Normal(0, 0)).hasMessageContaining("positive");
  }

  @Test
  void grid_tilesImagesWithGaps_andMapsPixels(@TempDir Path dir) throws Exception {
    Shape shape = Shape.of(2, 2, 3);
    float[] images = new float[4 * 12];
    for (int i = 0; i < 12; i++) {
      images[i] = -1f;          // image 0 black
      images[12 + i] = 1f;      // image 1 white
      images[24 + i] = 0f;      // image 2 mid grey
    }
    images[36] = 1f;            // image 3: first pixel red
    Path file = dir.resolve("grid.png");
    ImageGrid.writePng(images, shape, 2, 2, 3, file);
    BufferedImage img = ImageIO.read(file.toFile());
    // 2 tiles of 2*3 pixels plus 3 gaps of 3 pixels
    assertThat(img.getWidth()).isEqualTo(2 * 6 + 3 * 3);
    assertThat(img.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff);          // gap
    assertThat(img.getRGB(3, 3) & 0xffffff).isEqualTo(0x000000);          // image 0
    assertThat(img.getRGB(12, 3) & 0xffffff).isEqualTo(0xffffff);         // image 1
    assertThat(img.getRGB(3, 12) & 0xffffff).isEqualTo(0x808080);         // image 2
    assertThat(img.getRGB(12, 12) & 0xffffff).isEqualTo(0xff8080);        // image 3, red pixel
  }

  @Test
  void grid_tooFewImages_isExplained() {
    assertThatThrownBy(() -> ImageGrid.toImage(new float[12], Shape.of(2, 2, 3), 5, 5, 1))
        .hasMessageContaining("a 5x5 grid needs 25 images of (2, 2, 3) but got 1");
  }
}
