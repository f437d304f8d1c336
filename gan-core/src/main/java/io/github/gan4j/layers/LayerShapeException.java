package io.github.gan4j.layers;

/**
 * Thrown by {@link Layer#outputShape(Shape)} when a layer cannot take its input shape.
 *
 * <p>{@link #problem()} says what is wrong with the arithmetic, {@link #fix()} how to
 * repair the configuration. {@code GanBuilder} wraps it in a {@code GanConfigurationException}
 * that adds the network and the layer's position.
 */
public final class LayerShapeException extends RuntimeException {
  private final String problem;
  private final String fix;

  /** Creates the exception with the problem (what and the arithmetic) and the fix. */
  public LayerShapeException(String problem, String fix) {
    super(problem + (fix.isEmpty() ? "" : " Fix: " + fix));
    this.problem = problem;
    this.fix = fix;
  }

  /** What is wrong, with the arithmetic. */
  public String problem() {
    return problem;
  }

  /** How to repair the configuration. */
  public String fix() {
    return fix;
  }
}
