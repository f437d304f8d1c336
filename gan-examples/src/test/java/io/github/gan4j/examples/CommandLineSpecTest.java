package io.github.gan4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Conditioning;
import io.github.gan4j.Gan;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Precision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's parsing, help, completion and configuration round trip: everything
 * that happens before a model is trained, so no native TensorFlow is loaded.
 * {@code gan-tests}' CommandLineTest runs the commands end to end.
 */
class CommandLineSpecTest {

  record Outcome(int status, String out, String err) {
    String firstErrorLine() {
      return err.lines().findFirst().orElse("");
    }
  }

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every run-defining option with a value other than its default. */
  static final List<String> EVERY_RUN_OPTION = List.of("--dataset", "folder", "--image-size", "64x48x1", "--model",
      "dcgan", "--batch-size", "7", "--seed", "-3", "--d-lr", "0.002", "--g-lr", "3.0E-4", "--beta1", "0.5",
      "--beta2", "0.9",
      "--loss", "minimax", "--label-smoothing", "0.1", "--gp", "10", "--r1", "0.5", "--r2", "2",
      "--penalty-every", "4", "--lr-schedule", "cosine:600:0.1,warmup:20", "--init", "normal:0.02",
      "--clip-weights", "0.01", "--d-update", "combined", "--d-steps", "5", "--fake-batches", "training",
      "--threads", "2", "--precision", "bf16", "--ema", "0.999:100", "--spectral-norm", "both",
      "--augment", "color,translation,cutout", "--conditional", "cbn,maps");

  static RunConfig parse(List<String> args) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs(args.toArray(String[]::new));
    return options.config();
  }

  @Test
  void mistypedOption_isOneLineWithPicocliSuggestion_andUsage_exitCode2() {
    Outcome o = run("train", "--stpes", "5");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.firstErrorLine()).isEqualTo("gan4j: unknown option --stpes. Did you mean: --steps?");
    assertThat(o.err()).contains("usage: java -jar gan-examples.jar train [OPTIONS]").doesNotContain("Exception");
    assertThat(run("trian").firstErrorLine()).isEqualTo("gan4j: unknown command 'trian'. Did you mean: grid or train?");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "train --batch-size many       | option --batch-size needs a whole number, got 'many'",
      "train --image-size 64x64      | option --image-size needs HEIGHTxWIDTHxCHANNELS with 1 or 3 channels",
      "train --precision fp16        | option --precision must be one of fp32, bf16, got 'fp16'",
      "train --d-update mixed        | option --d-update must be one of separate, combined, got 'mixed'",
      "train --on-divergence retry   | option --on-divergence must be one of stop, rollback, got 'retry'",
      "train --max-rollbacks -1      | option --max-rollbacks must not be negative, got -1",
      "train --d-steps 32            | option --d-steps must be at most 31, got 32",
      "train --lr=0                  | option --lr must be a positive number, got 0",
      "train --resume --resume       | option --resume is given twice",
      "bench --threads -2            | option --threads must not be negative, got -2",
      "bench --model lsun            | option --model must be one of cifar10, mnist, sngan-resnet, got 'lsun'",
      "train --model lsun            | option --model must be one of dcgan, sngan-resnet, got 'lsun'",
      "summary --model sngan-resnet --dataset mnist | --model sngan-resnet needs height and width divisible by 8",
      "train --model sngan-resnet --dataset cifar10 --conditional cbn,projection | --model sngan-resnet keeps its BatchNorm inside residual blocks, which cannot be class-conditional yet; use --conditional embedding,projection",
      "generate --count 0 --run r --out o | option --count must be positive, got 0",
      "generate                      | options --run, --out are required",
      "summary --image-size 8x8x2    | option --image-size needs HEIGHTxWIDTHxCHANNELS",
      "quickstart ten                | argument STEPS needs a whole number, got 'ten'",
      "soak 100 10 extra             | unexpected argument 'extra'"})
  void badValueOfATypedOption_namesTheOption_exitCode2(String args, String message) {
    Outcome o = run(args.trim().split(" +"));
    assertThat(o.status()).as(o.err()).isEqualTo(2);
    assertThat(o.firstErrorLine()).startsWith("gan4j: " + message);
    assertThat(o.err()).contains("usage: java -jar gan-examples.jar " + args.trim().split(" ")[0])
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void help_isGenerated_andListsEveryOptionWithItsDescription() {
    CommandLine cli = Main.commandLine(System.out, System.err, false);
    for (Map.Entry<String, CommandLine> command : cli.getSubcommands().entrySet()) {
      if (command.getKey().equals("help")) {
        continue;
      }
      Outcome help = run(command.getKey(), "--help");
      assertThat(help.status()).as(command.getKey()).isZero();
      assertThat(help.out()).startsWith("usage: java -jar gan-examples.jar " + command.getKey());
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        assertThat(option.description()).as(option.longestName()).isNotEmpty();
        assertThat(help.out()).as(command.getKey()).contains(option.longestName());
      }
    }
    Outcome train = run("train", "--help");
    assertThat(train.out()).containsPattern("--lr-schedule=S +constant \\(default\\), linear:STEPS")
        .containsPattern("--loss=LOSS +non-saturating, minimax, lsgan, hinge, wasserstein")
        .contains("(default non-saturating)", "--batch-size=B", "(default 32)",
            "the run, recorded in config.properties and kept by --resume:", "when training goes wrong:");
    assertThat(run("help", "generate").out()).isEqualTo(run("generate", "-h").out());
    Outcome none = run();
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.out()).contains("usage: java -jar gan-examples.jar COMMAND", "train", "completion");
  }

  @Test
  void grid_drawsTheFirstSamplesOfAnNpyFile_asASquarePng(@TempDir Path dir) throws IOException {
    // five 2x3 grey images: sample k has every pixel at -1 + k/2 (0, 64, 128, 191, 255 after rounding)
    float[] data = new float[5 * 2 * 3];
    for (int k = 0; k < 5; k++) {
      java.util.Arrays.fill(data, k * 6, (k + 1) * 6, -1f + k / 2f);
    }
    Path npy = dir.resolve("s.npy");
    Npy.writeFloat32(npy, data, 5, 2, 3, 1);
    Path png = dir.resolve("g.png");
    Outcome o = run("grid", "--samples", npy.toString(), "--out", png.toString(), "--count", "4", "--scale", "2");
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).contains("a 2x2 grid of the first 4 samples");
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    // 2 columns of 3 pixels x 2, 3 gaps of 2 pixels; 2 rows of 2 pixels x 2, 3 gaps
    assertThat(image.getWidth()).isEqualTo(2 * 6 + 3 * 2);
    assertThat(image.getHeight()).isEqualTo(2 * 4 + 3 * 2);
    int[] expected = {0, 64, 128, 191};
    for (int k = 0; k < 4; k++) {
      int x = 2 + (k % 2) * 8 + 5;   // last pixel of the tile
      int y = 2 + (k / 2) * 6 + 3;
      assertThat(image.getRGB(x, y) & 0xff).as("sample " + k).isCloseTo(expected[k], org.assertj.core.data.Offset
          .offset(1));
    }
    assertThat(image.getRGB(0, 0) & 0xffffff).as("gap").isEqualTo(0xffffff);

    Outcome tooMany = run("grid", "--samples", npy.toString(), "--out", png.toString(), "--count", "6");
    assertThat(tooMany.status()).isEqualTo(2);
    assertThat(tooMany.firstErrorLine()).isEqualTo("gan4j: " + npy + " holds 5 samples, fewer than --count 6");
    Path flat = dir.resolve("flat.npy");
    Npy.writeFloat32(flat, data, 5, 6);
    Outcome wrongShape = run("grid", "--samples", flat.toString(), "--out", png.toString());
    assertThat(wrongShape.status()).isEqualTo(1);
    assertThat(wrongShape.firstErrorLine()).contains(flat.toString(), "expected an array (N, height, width, 1 or 3),"
        + " found shape [5, 6]");
    assertThat(run("grid", "--samples", npy.toString(), "--out", dir.resolve("g.jpg").toString()).firstErrorLine())
        .isEqualTo("gan4j: --out must be a .png file, got " + dir.resolve("g.jpg"));
  }

  @Test
  void completion_printsABashAndZshScript_withTheCommandsOptionsAndValues() {
    Outcome o = run("completion");
    assertThat(o.status()).as(o.err()).isZero();
    String script = o.out();
    assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_gan-examples",
        "bashcompinit");   // zsh runs it through bashcompinit
    CommandLine cli = Main.commandLine(System.out, System.err, false);
    for (Map.Entry<String, CommandLine> command : cli.getSubcommands().entrySet()) {
      assertThat(script).contains("function _picocli_gan-examples_" + command.getKey() + "()");
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        assertThat(script).contains("'" + option.longestName() + "'");
      }
    }
    assertThat(script).contains("(\"non-saturating\" \"minimax\" \"lsgan\" \"hinge\" \"wasserstein\") # --loss values",
        "(\"cifar10\" \"fashion-mnist\" \"mnist\" \"folder\") # --dataset values");
    // picocli names a value list by the option's label: two lists of one label would clash
    Matcher functions = Pattern.compile("(?s)function (_picocli_[^(]+)\\(\\) \\{(.*?)\n\\}").matcher(script);
    int found = 0;
    while (functions.find()) {
      found++;
      Set<String> lists = new HashSet<>();
      Matcher list = Pattern.compile("local (\\w+_option_args)=").matcher(functions.group(2));
      while (list.find()) {
        assertThat(lists.add(list.group(1))).as(functions.group(1) + " " + list.group(1)).isTrue();
      }
    }
    assertThat(found).isEqualTo(cli.getSubcommands().size() + 1);
  }

  @Test
  void config_roundTrips_throughConfigProperties_andTheSameConverters(@TempDir Path dir) throws IOException {
    CommandLine model = new CommandLine(new RunOptions());
    for (OptionSpec option : model.getCommandSpec().options()) {
      if (!option.longestName().equals("--lr")) {   // --lr is recorded as --d-lr and --g-lr
        assertThat(EVERY_RUN_OPTION).as("the round trip sets every option").contains(option.longestName());
      }
    }
    RunConfig given = parse(EVERY_RUN_OPTION);
    assertThat(given).isEqualTo(new RunConfig(DataSources.Name.FOLDER, Shape.of(64, 48, 1), "dcgan", 7, -3, 0.002f,
        3e-4f, 0.5f, 0.9f, GanLoss.minimax(), 0.1f, 10f, 0.5f, 2f, 4, LearningRateSchedule.cosine(600, 0.1f).withWarmup(20),
        Initializer.normal(0.02f), 0.01f, DiscriminatorUpdate.COMBINED_BATCH, 5, FakeBatches.TRAINING_MODE, 2,
        Precision.MIXED_BFLOAT16, new GeneratorEma(0.999f, 100), SpectralNormTarget.BOTH,
        DiffAugment.parse("color,translation,cutout"), new OptionTypes.Conditional(
            Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM, Conditioning.DiscriminatorInput.LABEL_MAPS)));
    Set<String> recorded = given.values().keySet();
    for (OptionSpec option : model.getCommandSpec().options()) {
      if (!option.longestName().equals("--lr")) {
        assertThat(recorded).as("config.properties records every option").contains(option.longestName().substring(2));
      }
    }

    RunDirectory run = new RunDirectory(dir);
    run.writeConfig(given.toProperties());
    RunConfig read = RunConfig.read(run.readConfig(), dir.resolve(RunDirectory.CONFIG));
    assertThat(read).isEqualTo(given);
    assertThat(read.values()).isEqualTo(given.values());
    // the command line's own forms, as runs before the typed options wrote them
    assertThat(dir.resolve(RunDirectory.CONFIG)).content().contains("dataset=folder", "image-size=64x48x1", "seed=-3",
        "d-lr=0.002", "g-lr=3.0E-4", "loss=minimax", "gp=10.0", "lr-schedule=cosine\\:600\\:0.1,warmup\\:20",
        "init=normal\\:0.02", "d-update=combined", "fake-batches=training", "precision=bf16", "ema=0.999\\:100",
        "spectral-norm=both", "augment=color,translation,cutout", "conditional=cbn,maps");

    RunConfig defaults = parse(List.of("--lr", "2e-4"));
    assertThat(defaults.dLr()).isEqualTo(2e-4f);
    assertThat(defaults.gLr()).isEqualTo(2e-4f);
    assertThat(defaults.values()).doesNotContainKeys("image-size", "gp", "r1", "r2", "clip-weights", "ema",
        "augment", "conditional");
    assertThat(defaults.spectralNorm()).isEqualTo(SpectralNormTarget.NONE);
    assertThat(defaults.augment()).isEqualTo(DiffAugment.none());
    // a run recorded before --spectral-norm existed had none
    Properties old = defaults.toProperties();
    old.remove("spectral-norm");
    assertThat(RunConfig.read(old, dir).spectralNorm()).isEqualTo(SpectralNormTarget.NONE);
    assertThat(RunConfig.read(defaults.toProperties(), dir)).isEqualTo(defaults);
  }

  @Test
  void snganResNet_takesLabelsByEmbeddingAndProjection_withItsSpectralNormKept() {
    Gan gan = DataSources.model(DataSources.SNGAN_RESNET, DataSources.Name.CIFAR10, Shape.of(32, 32, 3),
        Initializer.glorotUniform(), OptionTypes.Conditional.DEFAULT);
    assertThat(gan.numClasses()).isEqualTo(10);
    assertThat(gan.generator().labels().orElseThrow().name()).isEqualTo("label_embedding");
    assertThat(gan.discriminator().labels().orElseThrow().name()).isEqualTo("label_projection");
    Gan plain = ReferenceModels.snganResNet(32, 32, 3);
    assertThat(gan.discriminator().layers()).extracting(l -> l.layer())
        .isEqualTo(plain.discriminator().layers().stream().map(l -> l.layer()).toList());
    // --spectral-norm rebuilds the model: the labels stay
    assertThat(ReferenceModels.withSpectralNorm(gan, true, true).conditioning()).isEqualTo(gan.conditioning());
  }

  @Test
  void conditional_takesTheWaysOfBothNetworks_withDefaults_andRefusesOthersNamingTheOption() {
    OptionTypes.Conditional embeddingProjection = OptionTypes.Conditional.DEFAULT;
    assertThat(parse(List.of("--conditional")).conditional()).isEqualTo(embeddingProjection);
    assertThat(parse(List.of("--conditional", "--seed", "1")).conditional()).isEqualTo(embeddingProjection);
    assertThat(parse(List.of("--conditional=maps")).conditional()).isEqualTo(new OptionTypes.Conditional(
        Conditioning.GeneratorInput.EMBEDDING_CONCAT, Conditioning.DiscriminatorInput.LABEL_MAPS));
    assertThat(parse(List.of("--conditional", "projection,cbn")).conditional()).isEqualTo(new OptionTypes.Conditional(
        Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM, Conditioning.DiscriminatorInput.PROJECTION));
    assertThat(parse(List.of()).conditional()).isNull();
    assertThat(OptionTypes.conditional(embeddingProjection)).isEqualTo("embedding,projection");
    for (String bad : List.of("x", "embedding,cbn", "maps,maps", "embedding,")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(List.of("--conditional=" + bad)))
          .hasMessageContaining("--conditional").hasMessageContaining("embedding or cbn").hasMessageContaining(bad);
    }
    assertThat(DataSources.defaultModel(DataSources.Name.FASHION_MNIST, Shape.of(28, 28, 1), Initializer.glorotUniform(),
        embeddingProjection).numClasses()).isEqualTo(10);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataSources.defaultModel(DataSources.Name.FOLDER,
        Shape.of(28, 28, 1), Initializer.glorotUniform(), embeddingProjection)).isInstanceOf(UsageException.class)
        .hasMessageContaining("--conditional needs a labelled dataset");
  }

  @Test
  void ema_takesADecayAndAnOptionalStart_andRefusesOthersNamingTheOption() {
    assertThat(parse(List.of("--ema", "0.99")).ema()).isEqualTo(new GeneratorEma(0.99f, 0));
    assertThat(parse(List.of("--ema", "0.999:1000")).ema()).isEqualTo(new GeneratorEma(0.999f, 1000));
    assertThat(parse(List.of()).ema()).isNull();
    for (String bad : List.of("1", "0", "x", "0.9:-1", "0.9:1:2", "0.9:")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(List.of("--ema", bad)))
          .hasMessageContaining("--ema").hasMessageContaining("DECAY or DECAY:START_STEP").hasMessageContaining(bad);
    }
  }

  @Test
  void augment_takesPoliciesOrNone_andRefusesOthersNamingTheOption() {
    assertThat(parse(List.of("--augment", "translation,cutout")).augment())
        .isEqualTo(DiffAugment.of(DiffAugment.Policy.TRANSLATION, DiffAugment.Policy.CUTOUT));
    assertThat(parse(List.of("--augment", "none")).augment()).isEqualTo(DiffAugment.none());
    assertThat(parse(List.of("--augment", "color")).trainer(ReferenceModels.mnist()).recipe().augment())
        .isEqualTo(DiffAugment.of(DiffAugment.Policy.COLOR));
    Outcome o = run("train", "--augment", "color,flip");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.firstErrorLine()).contains("--augment").contains("unknown DiffAugment policy 'flip'")
        .contains("color, translation, cutout");
    assertThat(run("train", "--augment", "cutout,cutout").firstErrorLine()).contains("--augment")
        .contains("cutout is given twice");
  }

  @Test
  void preset_fillsInItsOptions_andTheCommandLineWins() {
    String[] expanded = Presets.expand(new String[] {"train", "--preset", "race-fmnist", "--lr", "1e-3",
        "--ema", "0.999"});
    assertThat(expanded[0]).isEqualTo("train");
    List<String> args = List.of(expanded).subList(1, expanded.length);
    assertThat(args).containsSubsequence("--batch-size", "64").containsSubsequence("--fake-batches", "training")
        .doesNotContain("2e-4");
    RunOptions options = new RunOptions();
    new CommandLine(options).setUnmatchedArgumentsAllowed(true).parseArgs(args.stream()
        .filter(a -> !a.equals("--preset") && !a.equals("race-fmnist")).toArray(String[]::new));
    RunConfig config = options.config();
    assertThat(config.batchSize()).isEqualTo(64);
    assertThat(config.dLr()).isEqualTo(1e-3f);
    assertThat(config.ema()).isEqualTo(new GeneratorEma(0.999f, 0));
    assertThat(config.dUpdate()).isEqualTo(DiscriminatorUpdate.COMBINED_BATCH);
    assertThat(config.fakeBatches()).isEqualTo(FakeBatches.TRAINING_MODE);

    assertThat(Presets.expand(new String[] {"generate", "--preset", "x"})).containsExactly("generate", "--preset", "x");
    assertThat(Presets.expand(new String[] {"train", "--steps", "3"})).containsExactly("train", "--steps", "3");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"train", "--preset", "nope"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err), false);
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains(
        "option --preset must be one of dcgan-paper, wgan-gp, race-fmnist, race-fmnist-ema, sngan, got 'nope'");
    // the race's winner is its recipe plus the generator's moving average
    List<String> winner = List.of(Presets.expand(new String[] {"train", "--preset", "race-fmnist-ema"}));
    assertThat(winner).containsAll(List.of(Presets.expand(new String[] {"train", "--preset", "race-fmnist"}))
            .stream().filter(a -> !a.equals("race-fmnist")).toList())
        .containsSubsequence("--ema", "0.999");
  }

  @Test
  void modelSnganResnet_impliesItsPreset_roundTrips_andRefusesWhatItCannotTake(@TempDir Path dir) throws IOException {
    String[] expanded = Presets.expand(new String[] {"train", "--model", "sngan-resnet", "--d-steps", "3"});
    List<String> args = List.of(expanded).subList(1, expanded.length);
    assertThat(args).containsSubsequence("--loss", "hinge").containsSubsequence("--beta1", "0")
        .containsSubsequence("--lr-schedule", "linear:50000").containsSubsequence("--d-steps", "3")
        .doesNotContainSubsequence("--d-steps", "5");
    RunConfig config = parse(args);
    assertThat(config.model()).isEqualTo("sngan-resnet");
    assertThat(config.loss()).isEqualTo(GanLoss.hinge());
    assertThat(config.dLr()).isEqualTo(2e-4f);
    assertThat(config.beta2()).isEqualTo(0.9f);
    assertThat(config.batchSize()).isEqualTo(64);
    assertThat(config.dSteps()).isEqualTo(3);
    assertThat(config.gan().discriminator().layers().get(0).layer().describe())
        .isEqualTo("resBlockDownOptimized(filters=128).spectralNorm()");
    RunDirectory run = new RunDirectory(dir);
    run.writeConfig(config.toProperties());
    assertThat(dir.resolve(RunDirectory.CONFIG)).content().contains("model=sngan-resnet");
    assertThat(RunConfig.read(run.readConfig(), dir.resolve(RunDirectory.CONFIG))).isEqualTo(config);
    // another preset wins, and a resumed run keeps what it recorded
    assertThat(Presets.expand(new String[] {"train", "--model", "sngan-resnet", "--preset", "dcgan-paper"}))
        .contains("0.5").doesNotContain("hinge");
    assertThat(Presets.expand(new String[] {"train", "--model=sngan-resnet", "--resume"}))
        .containsExactly("train", "--model=sngan-resnet", "--resume");
    assertThat(parse(List.of()).model()).isEqualTo("dcgan");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(List.of("--model", "sngan-resnet", "--dataset",
        "fashion-mnist"))).isInstanceOf(UsageException.class)
        .hasMessageContaining("divisible by 8").hasMessageContaining("28x28").hasMessageContaining("--model dcgan");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(List.of("--model", "sngan-resnet", "--init", "he")))
        .isInstanceOf(UsageException.class).hasMessageContaining("--init");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(List.of("--model", "resnet")))
        .hasMessageContaining("must be one of dcgan, sngan-resnet, got 'resnet'");
  }

  @Test
  void configOfAnOlderRun_resumesWithTheDefaultsItUsed() throws IOException {
    // written before --beta2, --label-smoothing, --lr-schedule, --init and --penalty-every existed, plus facts of the run
    Properties old = new Properties();
    old.load(new StringReader(String.join("\n", "dataset=fashion-mnist", "batch-size=16", "seed=5", "d-lr=5.0E-4",
        "g-lr=0.001", "beta1=0.5", "loss=non-saturating", "d-update=separate", "d-steps=1",
        "fake-batches=inference", "threads=0", "precision=fp32", "total-steps=6", "model.fingerprint=abc",
        "precision.in-effect=fp32", "rollbacks=1")));
    RunConfig config = RunConfig.read(old, Path.of("config.properties"));
    assertThat(config).isEqualTo(parse(List.of("--dataset", "fashion-mnist", "--batch-size", "16", "--seed", "5",
        "--d-lr", "5e-4", "--beta1", "0.5")));
    assertThat(config.beta2()).isEqualTo(0.999f);
    assertThat(config.lrSchedule()).isEqualTo(LearningRateSchedule.constant());
    assertThat(config.init()).isEqualTo(Initializer.glorotUniform());
    Properties raw = new Properties();
    raw.load(new StringReader("dataset=folder\nimage-size=32X32x3\nlr-schedule=linear:100\n"));
    assertThat(RunConfig.read(raw, Path.of("c")).values()).containsEntry("image-size", "32x32x3")
        .containsEntry("lr-schedule", "linear:100");
  }

  @Test
  void damagedConfig_isAOneLineFailure_namingTheFileAndTheValue(@TempDir Path dir) throws IOException {
    Properties damaged = parse(List.of()).toProperties();
    damaged.setProperty("seed", "five");
    assertThatThrownBy(() -> RunConfig.read(damaged, dir.resolve("config.properties")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(dir.resolve("config.properties") + " is damaged: option --seed needs a whole number, got 'five'");

    new RunDirectory(dir).writeConfig(damaged);
    Outcome o = run("train", "--dataset", "fashion-mnist", "--resume", "--out", dir.toString());
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.firstErrorLine()).isEqualTo("gan4j: " + dir.resolve("config.properties")
        + " is damaged: option --seed needs a whole number, got 'five'");
    assertThat(o.err()).doesNotContain("\tat ");
  }

  @Test
  void resume_readsTheSavedConfig_andRefusesOptionsThatDisagree(@TempDir Path dir) throws IOException {
    new RunDirectory(dir).writeConfig(parse(List.of("--dataset", "fashion-mnist", "--seed", "5", "--lr-schedule",
        "linear:100:0.0", "--gp", "10")).toProperties());
    String out = dir.toString();
    assertThat(run("train", "--resume", "--out", out, "--seed", "6").firstErrorLine())
        .startsWith("gan4j: --seed 6 differs from this run's 5 (");
    assertThat(run("train", "--resume", "--out", out, "--clip-weights", "0.1").firstErrorLine())
        .startsWith("gan4j: --clip-weights was not part of this run (");
    assertThat(run("train", "--resume", "--out", out, "--lr", "0.002").firstErrorLine())
        .startsWith("gan4j: --d-lr 0.002 differs from this run's 0.001 (");
    // the same values in other words agree: the typed values are compared
    Outcome same = run("train", "--resume", "--out", out, "--seed", "5", "--lr-schedule", "LINEAR:100", "--gp",
        "10.0", "--dataset", "Fashion-MNIST");
    assertThat(same.status()).isEqualTo(2);
    assertThat(same.firstErrorLine()).isEqualTo("gan4j: --resume: " + out
        + " holds no complete checkpoint to resume from");
    assertThat(Files.readString(dir.resolve(RunDirectory.CONFIG))).contains("seed=5");
  }

  @Test
  void choices_nameTheirValues_andReadTheirNamesBack() {
    for (OptionTypes.Choice<?> choice : List.of(new OptionTypes.Datasets(), new OptionTypes.Losses(),
        new OptionTypes.DiscriminatorUpdates(), new OptionTypes.FakeBatchModes(), new OptionTypes.Precisions())) {
      List<String> names = new ArrayList<>();
      choice.forEach(names::add);
      for (String name : names) {
        assertThat(nameOf(choice, name)).isEqualTo(name);
      }
    }
    for (String schedule : List.of("constant", "constant,warmup:5", "linear:100", "linear:100:0.5", "cosine:7:0.1",
        "step:10:0.5,warmup:3")) {
      assertThat(OptionTypes.schedule(new OptionTypes.Schedule().convert(schedule))).isEqualTo(schedule);
    }
    for (String init : List.of("glorot", "he", "normal:0.02")) {
      assertThat(OptionTypes.initializer(new OptionTypes.Init().convert(init))).isEqualTo(init);
    }
    assertThat(new OptionTypes.PositiveLong().convert("10_000")).isEqualTo(10_000L);
  }

  private static <T> String nameOf(OptionTypes.Choice<T> choice, String name) {
    return choice.name(choice.convert(name.toUpperCase(java.util.Locale.ROOT)));
  }
}
