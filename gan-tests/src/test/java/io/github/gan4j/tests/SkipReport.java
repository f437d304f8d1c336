package io.github.gan4j.tests;

import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * After the run, says how many tests were skipped because {@link TestData} could not find or
 * fetch what they need, and why, so that a green build with missing data does not look like a
 * complete one. Registered through {@code META-INF/services}.
 */
public final class SkipReport implements TestExecutionListener {
  private final Map<String, Integer> skipped = new TreeMap<>();

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      result.getThrowable().map(Throwable::getMessage).filter(m -> m != null && m.startsWith(TestData.SKIP))
          .ifPresent(m -> skipped.merge(m, 1, Integer::sum));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder(System.lineSeparator())
        .append("==== gan4j: tests SKIPPED for missing test data ====").append(System.lineSeparator());
    skipped.forEach((message, n) -> b.append(n).append(n == 1 ? " test: " : " tests: ")
        .append(message.substring(TestData.SKIP.length())).append(System.lineSeparator()));
    System.out.print(b);
    skipped.clear();
  }
}
