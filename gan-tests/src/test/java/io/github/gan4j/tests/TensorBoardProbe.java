package io.github.gan4j.tests;

import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TensorBoard;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link TensorBoardTest}, which kills it: trains the tiny model for
 * {@code steps} steps into {@code dir/tensorboard} (scalars every step, images and histograms
 * every 3) with a checkpoint every {@code checkpointEvery} steps into {@code dir/checkpoints},
 * the checkpoint listener first, and prints {@code step N} after each step.
 */
public final class TensorBoardProbe {
  private TensorBoardProbe() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    int checkpointEvery = Integer.parseInt(args[2]);
    try (Trainer trainer = TensorBoardTest.trainer().build();
        TensorBoard board = TensorBoard.open(dir.resolve("tensorboard"), TensorBoardTest.EVERY_STEP)) {
      trainer.fit(Fixtures.squares(), Steps.of(steps),
          Listeners.checkpoints(dir.resolve("checkpoints"), checkpointEvery, 100),
          board.listener(),
          (t, m) -> {
            System.out.println("step " + m.step());
            System.out.flush();
          });
    }
  }
}
