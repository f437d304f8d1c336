package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.tests.CommandLineTest.Outcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model sngan-resnet} end to end, on a folder of small images. */
class SnganCommandLineTest {

  /** 32 random 8x8 grayscale PNGs. */
  static Path images(Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("images"));
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 32; i++) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          int v = r.nextInt(256);
          img.setRGB(x, y, v << 16 | v << 8 | v);
        }
      }
      ImageIO.write(img, "png", folder.resolve("img" + i + ".png").toFile());
    }
    return folder;
  }

  static String[] train(Path images, Path out, long steps, String... extra) {
    List<String> a = new ArrayList<>(List.of("train", "--model", "sngan-resnet", "--dataset", "folder",
        "--data-dir", images.toString(), "--image-size", "8x8x1", "--batch-size", "4", "--d-steps", "2",
        "--seed", "5", "--steps", String.valueOf(steps), "--sample-every", "2", "--checkpoint-every", "2",
        "--log-every", "1", "--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void snganResnet_trainsWithItsRecipe_isRecorded_andResumeFinishesTheSameRun(@TempDir Path dir) throws IOException {
    Path images = images(dir);
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    Outcome first = CommandLineTest.run(train(images, whole, 4));
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(Files.readString(whole.resolve("config.properties"))).contains("model=sngan-resnet", "loss=hinge",
        "beta1=0.0", "beta2=0.9", "d-lr=2.0E-4", "lr-schedule=linear\\:50000", "d-steps=2", "batch-size=4",
        "d-update=combined", "fake-batches=training");
    assertThat(Files.readAllLines(whole.resolve("metrics.jsonl"))).filteredOn(l -> l.startsWith("{\"step\":"))
        .hasSize(4).noneMatch(l -> l.contains("NaN") || l.contains("Infinity"));

    assertThat(CommandLineTest.run(train(images, split, 2)).status()).isZero();
    Outcome resumed = CommandLineTest.run(train(images, split, 4, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed " + split + " at step 2 of 4");
    CommandLineTest.assertSameSamples(whole, split, dir);

    Outcome summary = CommandLineTest.run("summary", "--model", "sngan-resnet");
    assertThat(summary.status()).isZero();
    assertThat(summary.out()).contains("Trainable params: 4,276,739", "Trainable params: 1,053,824",
        "res_block (ResBlockDownOptimized)");
  }
}
