package io.github.gan4j.extension;

import io.github.gan4j.recipe.GanLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An adversarial loss written by the user on D's outputs. Like the built-in losses it has a
 * real term and a fake term for D (D's loss is {@code termWeight() * (real + fake)}; with
 * separate real and fake updates each update minimizes its own term) and a loss for G, each
 * a scalar.
 *
 * <pre>{@code
 * record SoftplusHinge() implements CustomLoss {
 *   public String id() { return "softplus-hinge"; }
 *   public Outputs outputs() { return Outputs.SCORES; }
 *   public Operand<TFloat32> realTerm(Ops tf, Operand<TFloat32> r) { return mean(softplus(1 - r)) ... }
 *   ...
 * }
 * }</pre>
 */
public interface CustomLoss extends GanLoss.Custom {

  /** D's term on its outputs for a real batch, shape (batch, 1): a scalar to minimize. */
  Operand<TFloat32> realTerm(Ops tf, Operand<TFloat32> realOutputs);

  /** D's term on its outputs for a fake batch, shape (batch, 1): a scalar to minimize. */
  Operand<TFloat32> fakeTerm(Ops tf, Operand<TFloat32> fakeOutputs);

  /** G's loss on D's outputs for its fakes, shape (batch, 1): a scalar to minimize. */
  Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> fakeOutputs);
}
