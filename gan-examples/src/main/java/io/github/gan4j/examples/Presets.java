package io.github.gan4j.examples;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code train --preset NAME}: a named set of run options, written out in full in the run's
 * {@code config.properties} like options given one by one. Options given on the command line
 * win over the preset's. {@code --model sngan-resnet} without a preset implies the preset
 * {@code sngan}, its recipe (except with {@code --resume}, which keeps the run's recorded options).
 */
final class Presets {
  /** A preset: what it is for, and its options as {@code train} takes them. */
  record Preset(String description, List<String> args) {}

  static final Map<String, Preset> ALL = new LinkedHashMap<>();

  static {
    ALL.put("dcgan-paper", new Preset("the DCGAN paper's Adam settings (Radford et al. 2016)",
        List.of("--lr", "2e-4", "--beta1", "0.5")));
    ALL.put("wgan-gp", new Preset("WGAN-GP with its paper's settings (Gulrajani et al. 2017)",
        List.of("--loss", "wasserstein", "--gp", "10", "--d-steps", "5", "--lr", "1e-4", "--beta1", "0",
            "--beta2", "0.9")));
    ALL.put("race-fmnist", new Preset("the recipe of the Fashion-MNIST quality race (QUALITY.md): the DCGAN"
        + " paper's Adam, batch 64, one D update on real and fake together, training-mode fakes",
        List.of("--batch-size", "64", "--lr", "2e-4", "--beta1", "0.5", "--d-update", "combined",
            "--fake-batches", "training")));
    ALL.put("race-fmnist-ema", new Preset("the winner of the Fashion-MNIST quality race (QUALITY.md): race-fmnist"
        + " with a moving average of G's weights (decay 0.999) for samples and the export",
        List.of("--batch-size", "64", "--lr", "2e-4", "--beta1", "0.5", "--d-update", "combined",
            "--fake-batches", "training", "--ema", "0.999")));
    ALL.put("sngan", new Preset("SNGAN's ResNet and CIFAR-10 recipe (Miyato et al. 2018; ReferenceModels.snganRecipe):"
        + " hinge loss, Adam 2e-4 (0, 0.9), 5 D updates per G update, batch 64, linear decay over 50,000 steps;"
        + " implied by --model sngan-resnet",
        List.of("--model", DataSources.SNGAN_RESNET, "--loss", "hinge", "--lr", "2e-4", "--beta1", "0", "--beta2",
            "0.9", "--d-steps", "5", "--batch-size", "64", "--d-update", "combined", "--fake-batches", "training",
            "--lr-schedule", "linear:50000")));
  }

  private Presets() {}

  /** {@code --preset}'s values, for the help and the completion script. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ALL.keySet().iterator();
    }
  }

  /**
   * {@code train}'s arguments with the preset's options inserted after {@code train}, except
   * those the command line gives itself; other commands' arguments unchanged.
   *
   * @throws UsageException for an unknown preset or {@code --preset} without a value
   */
  static String[] expand(String[] args) {
    if (args.length == 0 || !args[0].equals("train")) {
      return args;
    }
    String name = null;
    String implied = null;
    Set<String> given = new TreeSet<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--preset")) {
        if (i + 1 >= args.length) {
          throw new UsageException("option --preset needs a value: one of " + String.join(", ", ALL.keySet()));
        }
        name = args[i + 1];
      } else if (a.startsWith("--preset=")) {
        name = a.substring("--preset=".length());
      }
      if (a.startsWith("--")) {
        given.add(a.split("=", 2)[0]);
      }
      if (a.equals("--model=" + DataSources.SNGAN_RESNET)
          || a.equals("--model") && i + 1 < args.length && args[i + 1].equals(DataSources.SNGAN_RESNET)) {
        implied = "sngan";
      }
    }
    if (name == null && !given.contains("--resume")) {   // a resumed run keeps its recorded options
      name = implied;
    }
    if (name == null) {
      return args;
    }
    Preset preset = ALL.get(name);
    if (preset == null) {
      throw new UsageException("option --preset must be one of " + String.join(", ", ALL.keySet()) + ", got '" + name
          + "'");
    }
    List<String> out = new ArrayList<>(List.of("train"));
    List<String> p = preset.args();
    for (int i = 0; i < p.size(); i += 2) {
      if (!given.contains(p.get(i))) {
        out.add(p.get(i));
        out.add(p.get(i + 1));
      }
    }
    out.addAll(List.of(args).subList(1, args.length));
    return out.toArray(String[]::new);
  }
}
