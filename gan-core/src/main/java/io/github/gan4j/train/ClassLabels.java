package io.github.gan4j.train;

/** Class labels of generated images: the checks and the default order shared by the trainer and the loaded generator. */
final class ClassLabels {
  private ClassLabels() {}

  /** The labels {@code 0, 1, ..., numClasses - 1, 0, 1, ...} of {@code count} images. */
  static int[] cycle(int count, int numClasses) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % numClasses;
    }
    return labels;
  }

  /** {@code count} labels, image row {@code r} of a grid of {@code cols} columns of class {@code r}. */
  static int[] rows(int numClasses, int cols) {
    int[] labels = new int[numClasses * cols];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i / cols;
    }
    return labels;
  }

  /**
   * Checks that {@code labels} holds {@code count} labels in [0, numClasses) of a conditional
   * model ({@code numClasses > 0}).
   *
   * @throws IllegalArgumentException naming the position and the value otherwise
   */
  static void check(int[] labels, int count, int numClasses) {
    if (numClasses == 0) {
      throw new IllegalArgumentException("the model is not conditional: it takes no class labels;"
          + " generate without labels, or build the GAN with GanBuilder.conditional(numClasses)");
    }
    if (labels == null) {
      throw new IllegalArgumentException("a conditional model needs one class label per image; got null");
    }
    if (labels.length != count) {
      throw new IllegalArgumentException("got " + labels.length + " class labels for " + count
          + " images; give one label per image");
    }
    for (int i = 0; i < count; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("class label " + labels[i] + " at position " + i + " is outside [0, "
            + numClasses + ") of the model's " + numClasses + " classes");
      }
    }
  }
}
