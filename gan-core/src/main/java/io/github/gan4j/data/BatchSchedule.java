package io.github.gan4j.data;

import java.util.SplittableRandom;

/**
 * Which images make up each batch: epochs of a fresh random permutation of the dataset,
 * cut into batches of a fixed size, the last incomplete batch of an epoch dropped.
 *
 * <p>Batch {@code n} is a pure function of the seed, the dataset size, the batch size
 * and {@code n}, so a run resumed at any step reads exactly the batches an uninterrupted
 * run would have read, and nothing but the batch counter has to be checkpointed.
 */
public final class BatchSchedule {
  private final int datasetSize;
  private final int batchSize;
  private final long seed;
  private final int batchesPerEpoch;
  private long cachedEpoch = -1;
  private int[] permutation;

  /**
   * @throws IllegalArgumentException if the dataset holds fewer images than one batch
   */
  public BatchSchedule(int datasetSize, int batchSize, long seed) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    if (datasetSize < batchSize) {
      throw new IllegalArgumentException("the dataset has " + datasetSize + " images, fewer than one batch of "
          + batchSize + "; use a smaller batch size or more images");
    }
    this.datasetSize = datasetSize;
    this.batchSize = batchSize;
    this.seed = seed;
    this.batchesPerEpoch = datasetSize / batchSize;
  }

  /** Full batches in one epoch ({@code datasetSize / batchSize}, rounded down). */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** The epoch (from 0) that batch {@code batchNumber} belongs to. */
  public long epochOf(long batchNumber) {
    return batchNumber / batchesPerEpoch;
  }

  /** Writes the dataset indices of batch {@code batchNumber} (from 0) into {@code out}. */
  public void indices(long batchNumber, int[] out) {
    if (batchNumber < 0) {
      throw new IllegalArgumentException("batch number must not be negative, was " + batchNumber);
    }
    long epoch = epochOf(batchNumber);
    if (epoch != cachedEpoch) {
      permutation = permutation(epoch);
      cachedEpoch = epoch;
    }
    int start = (int) (batchNumber % batchesPerEpoch) * batchSize;
    System.arraycopy(permutation, start, out, 0, batchSize);
  }

  private int[] permutation(long epoch) {
    int[] p = new int[datasetSize];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = p.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
