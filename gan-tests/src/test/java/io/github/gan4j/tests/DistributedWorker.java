package io.github.gan4j.tests;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.ClusterException;
import io.github.gan4j.train.FitResult;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training process for {@link DistributedTrainingTest}: trains {@link Fixtures#tiny()} on
 * {@link Fixtures#squares()} alone or as one worker of a cluster, prints one line per step and
 * writes the final variables and every step's losses to {@code --out}.
 *
 * <pre>
 * --batch 32 --steps 20 --out result.bin [--workers a:1,b:2 --task 0] [--timeout-ms 5000] [--startup-ms 30000]
 *   [--checkpoints dir --every 5] [--resume] [--model sn|resnet|cond] [--augment color,translation,cutout]
 * </pre>
 * {@code --model sn} trains {@link SpectralNormTest#tinySn()} instead.
 * Without {@code --workers}, the cluster of {@code TF_CONFIG} if set ({@code {task}} in
 * {@code --out} becomes the task). Exit status 0, or 3 after a {@link ClusterException} (its message printed on one line
 * starting with {@code ClusterException: }).
 */
public final class DistributedWorker {
  private DistributedWorker() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--resume")) {
        a.put("resume", "true");
      } else {
        a.put(args[i].substring(2), args[++i]);
      }
    }
    Gan gan = "sn".equals(a.get("model")) ? SpectralNormTest.tinySn()
        : "resnet".equals(a.get("model")) ? Fixtures.tinyResNet()
        : "cond".equals(a.get("model")) ? ConditionalGanTest.tiny(CONDITIONED) : Fixtures.tiny();
    Dataset data = "cond".equals(a.get("model")) ? labelled() : Fixtures.squares();
    Trainer.Builder builder = Trainer.of(gan).batchSize(Integer.parseInt(a.get("batch"))).seed(11)
        .threads(1, 1);
    if (a.containsKey("augment")) {
      builder.augment(io.github.gan4j.recipe.DiffAugment.parse(a.get("augment")));
    }
    ClusterSpec fromEnvironment = ClusterSpec.fromEnvironment().orElse(null);
    if (a.containsKey("workers") || fromEnvironment != null) {
      ClusterSpec cluster = a.containsKey("workers")
          ? ClusterSpec.of(List.of(a.get("workers").split(",")), Integer.parseInt(a.get("task"))) : fromEnvironment;
      a.put("out", a.get("out").replace("{task}", String.valueOf(cluster.task())));
      if (a.containsKey("timeout-ms")) {
        cluster = cluster.timeout(Duration.ofMillis(Long.parseLong(a.get("timeout-ms"))));
      }
      if (a.containsKey("startup-ms")) {
        cluster = cluster.startupTimeout(Duration.ofMillis(Long.parseLong(a.get("startup-ms"))));
      }
      builder.cluster(cluster);
    }
    long steps = Long.parseLong(a.get("steps"));
    List<float[]> losses = new ArrayList<>();
    try (Trainer trainer = builder.build()) {
      List<TrainingListener> listeners = new ArrayList<>();
      listeners.add((t, m) -> {
        losses.add(new float[] {m.dLoss(), m.gLoss(), m.dReal(), m.dFake()});
        System.out.println(line(m));
      });
      if (a.containsKey("checkpoints")) {
        Path root = Path.of(a.get("checkpoints"));
        if (a.containsKey("resume")) {
          Checkpoints.latestValid(root, trainer.gan(), e -> System.out.println("skipped " + e.getMessage()))
              .ifPresent(trainer::restore);
          System.out.println("resumed at step " + trainer.stepCount());
        }
        listeners.add(Listeners.checkpoints(root, Integer.parseInt(a.get("every")), 3));
      }
      FitResult result;
      try {
        result = trainer.fit(data, Steps.until(steps), listeners.toArray(new TrainingListener[0]));
      } catch (ClusterException e) {
        System.out.println("ClusterException: " + e.getMessage().replace('\n', ' '));
        System.out.flush();
        System.exit(3);
        return;
      }
      System.out.println("done " + result.reason() + " at step " + trainer.stepCount());
      write(Path.of(a.get("out")), trainer.variables(), losses);
    }
    System.exit(0);
  }

  /** How {@code --model cond} takes labels: class-dependent BatchNorm in G (synchronized), projection in D. */
  static final ConditionalGanTest.Way CONDITIONED = ConditionalGanTest.Way.CONDITIONAL_BN_AND_PROJECTION;

  /** The labelled images {@code --model cond} trains on. */
  static Dataset labelled() {
    return ConditionalGanTest.labelledSquares(ConditionalGanTest.cycling(240));
  }

  static String line(StepMetrics m) {
    return String.format(Locale.ROOT, "step %d d_loss %.9g g_loss %.9g", m.step(), m.dLoss(), m.gLoss());
  }

  /** Variables (name, values) then losses (dLoss, gLoss, dReal, dFake per step). */
  static void write(Path file, Map<String, float[]> variables, List<float[]> losses) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      Map<String, float[]> sorted = new TreeMap<>(variables);
      out.writeInt(sorted.size());
      for (Map.Entry<String, float[]> e : sorted.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float f : e.getValue()) {
          out.writeFloat(f);
        }
      }
      out.writeInt(losses.size());
      for (float[] l : losses) {
        for (float f : l) {
          out.writeFloat(f);
        }
      }
    }
  }

  /** What {@link #write} wrote. */
  record Result(Map<String, float[]> variables, List<float[]> losses) {
    static Result read(Path file) throws IOException {
      try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in)) {
        Map<String, float[]> vars = new TreeMap<>();
        int n = d.readInt();
        for (int i = 0; i < n; i++) {
          String name = d.readUTF();
          float[] v = new float[d.readInt()];
          for (int j = 0; j < v.length; j++) {
            v[j] = d.readFloat();
          }
          vars.put(name, v);
        }
        List<float[]> losses = new ArrayList<>();
        int m = d.readInt();
        for (int i = 0; i < m; i++) {
          float[] l = new float[4];
          for (int j = 0; j < 4; j++) {
            l[j] = d.readFloat();
          }
          losses.add(l);
        }
        return new Result(vars, losses);
      }
    }

    boolean sameBits(Result other) {
      if (!sameVariables(other) || losses.size() != other.losses.size()) {
        return false;
      }
      for (int i = 0; i < losses.size(); i++) {
        if (!Arrays.equals(losses.get(i), other.losses.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** Whether every variable has the same name and bits as in {@code other}. */
    boolean sameVariables(Result other) {
      if (!variables.keySet().equals(other.variables.keySet())) {
        return false;
      }
      for (String k : variables.keySet()) {
        if (!Arrays.equals(variables.get(k), other.variables.get(k))) {
          return false;
        }
      }
      return true;
    }
  }
}
