package io.github.gan4j.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What some end-to-end tests need from outside the build, found or obtained without root:
 * Fashion-MNIST's IDX files (Debian's {@code dataset-fashion-mnist}) and an x86-64 emulator
 * (Debian's {@code qemu-user}, or the {@code qemu-x86_64-static} binary of
 * {@code qemu-user-static}).
 *
 * <p>Where to look, in order: the variable ({@code GAN4J_FASHION_MNIST} = a folder with the
 * four IDX files, {@code GAN4J_QEMU} = the emulator), the Debian package's installed location,
 * the cache ({@code GAN4J_TEST_DATA}, default {@code ~/.gan4j/test-data}). Failing those, on a
 * machine with {@code apt-get} and {@code dpkg-deb} (Debian, Ubuntu) the package is fetched
 * with {@code apt-get download} against package lists of the cache's own (so no root and no
 * change to the system; apt verifies the archive's signature and the package's checksum as for
 * an install) and unpacked into the cache. Elsewhere, or offline, a test that needs it is
 * <em>skipped</em> with the reason, and {@link SkipReport} repeats the reasons after the run;
 * with the environment variable {@code CI} set, it fails instead, so CI never passes without
 * them.
 */
final class TestData {
  /** Start of every skip message of this class (how {@link SkipReport} recognises them). */
  static final String SKIP = "[gan4j test data] ";
  static final String FASHION_FILE = "t10k-images-idx3-ubyte.gz";

  private static Optional<Path> fashion;
  private static String fashionProblem;
  private static Optional<Path> qemu;
  private static String qemuProblem;

  private TestData() {}

  /** The folder with Fashion-MNIST's IDX files; skips (fails under CI) the calling test if it cannot be had. */
  static synchronized Path fashionMnist() {
    if (fashion == null) {
      fashion = find(List.of(env("GAN4J_FASHION_MNIST"), Optional.of(Path.of("/usr/share/datasets/fashion-mnist")),
          Optional.of(cache().resolve("fashion-mnist/usr/share/datasets/fashion-mnist"))), FASHION_FILE);
      if (fashion.isEmpty()) {
        fashionProblem = fetch("dataset-fashion-mnist", cache().resolve("fashion-mnist"), null);
        fashion = find(List.of(Optional.of(cache().resolve("fashion-mnist/usr/share/datasets/fashion-mnist"))),
            FASHION_FILE);
      }
    }
    return require(fashion, "Fashion-MNIST", fashionProblem,
        "install Debian's dataset-fashion-mnist, or set GAN4J_FASHION_MNIST to a folder with its four IDX files");
  }

  /** The x86-64 user-mode emulator; skips (fails under CI) the calling test if it cannot be had. */
  static synchronized Path qemuX86_64() {
    if (qemu == null) {
      Path fetched = cache().resolve("qemu/usr/bin/qemu-x86_64-static");
      qemu = Stream.of(env("GAN4J_QEMU"), Optional.of(Path.of("/usr/bin/qemu-x86_64")), Optional.of(fetched))
          .flatMap(Optional::stream).filter(Files::isExecutable).findFirst();
      if (qemu.isEmpty()) {
        qemuProblem = fetch("qemu-user-static", cache().resolve("qemu"), "./usr/bin/qemu-x86_64-static");
        qemu = Optional.of(fetched).filter(Files::isExecutable);
      }
    }
    return require(qemu, "qemu-x86_64", qemuProblem,
        "install Debian's qemu-user, or set GAN4J_QEMU to a qemu-x86_64 binary");
  }

  private static Path require(Optional<Path> found, String what, String problem, String fix) {
    if (found.isPresent()) {
      return found.get();
    }
    String message = SKIP + what + " is not available (" + (problem == null ? "not found" : problem) + "); " + fix;
    if (System.getenv("CI") != null) {
      throw new AssertionError(message + ". CI is set, so this fails instead of skipping.");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  private static Optional<Path> find(List<Optional<Path>> candidates, String file) {
    return candidates.stream().flatMap(Optional::stream).filter(d -> Files.isRegularFile(d.resolve(file))).findFirst();
  }

  private static Optional<Path> env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
  }

  static Path cache() {
    return env("GAN4J_TEST_DATA").orElse(Path.of(System.getProperty("user.home"), ".gan4j", "test-data"));
  }

  /**
   * Fetches a Debian package with apt-get into {@code target} (replaced atomically), unpacking
   * everything or only {@code member} of its file system.
   *
   * @return null on success, else what went wrong
   */
  private static String fetch(String pkg, Path target, String member) {
    if (!onPath("apt-get") || !onPath("dpkg-deb")) {
      return "no apt-get and dpkg-deb to fetch Debian's " + pkg + " with (not Debian or Ubuntu)";
    }
    Path work = null;
    try {
      Files.createDirectories(target.getParent());
      work = Files.createTempDirectory(target.getParent(), "fetch-");
      Path apt = work.resolve("apt");
      Files.createDirectories(apt.resolve("lists/partial"));
      Files.createDirectories(apt.resolve("cache/archives/partial"));
      List<String> options = List.of("-q", "-o", "Dir::State::Lists=" + apt.resolve("lists"),
          "-o", "Dir::Cache=" + apt.resolve("cache"), "-o", "Debug::NoLocking=1");
      System.err.println(SKIP + "fetching Debian's " + pkg + " with apt-get download into " + target
          + " (once; no root needed)");
      String failed = run(work, command("apt-get", options, "update"), 5);
      if (failed == null) {
        failed = run(work, command("apt-get", options, "download", pkg), 10);
      }
      if (failed != null) {
        return failed;
      }
      Path deb;
      try (Stream<Path> files = Files.list(work)) {
        deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
      }
      if (deb == null) {
        return "apt-get download " + pkg + " left no .deb file";
      }
      Path unpacked = work.resolve("root");
      Files.createDirectories(unpacked);
      failed = member == null
          ? run(work, List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), 5)
          : run(work, List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xf - -C \"$2\" \"$3\"", "sh",
              deb.toString(), unpacked.toString(), member), 5);
      if (failed != null) {
        return failed;
      }
      deleteTree(target);
      Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      return null;
    } catch (IOException | RuntimeException e) {
      return "fetching " + pkg + " failed: " + e;
    } finally {
      if (work != null) {
        try {
          deleteTree(work);
        } catch (IOException ignored) {
          // a temporary folder left in the cache; the next fetch makes its own
        }
      }
    }
  }

  private static List<String> command(String tool, List<String> options, String... args) {
    List<String> cmd = new ArrayList<>(List.of(tool));
    cmd.addAll(options);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs a command in {@code dir}; null when it exits 0 within the time, else the reason with its last output. */
  private static String run(Path dir, List<String> cmd, int minutes) throws IOException {
    Path log = Files.createTempFile(dir, "cmd", ".txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return String.join(" ", cmd.subList(0, Math.min(cmd.size(), 2))) + " did not finish in " + minutes
            + " minutes";
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    if (p.exitValue() == 0) {
      return null;
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    List<String> shown = cmd.stream().filter(a -> !a.equals("-o") && !a.contains("::") && !a.equals("-q")).toList();
    return String.join(" ", shown.subList(0, Math.min(shown.size(), 3))) + " exited with " + p.exitValue() + ": "
        + tail;
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
