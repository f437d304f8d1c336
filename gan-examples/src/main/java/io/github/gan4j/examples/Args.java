package io.github.gan4j.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} and {@code --flag} options of one command; typed, checked access. */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  private Args() {}

  /**
   * Parses {@code args}; {@code valued} take a value, {@code flags} do not.
   *
   * @throws UsageException for an unknown option, a missing value, a repeated option or a
   *     stray argument
   */
  static Args parse(String[] args, Set<String> valued, Set<String> flags) {
    Args a = new Args();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String key = name.substring(2);
      if (flags.contains(key)) {
        if (value != null) {
          throw new UsageException("option --" + key + " takes no value");
        }
        value = "true";
      } else if (valued.contains(key)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException("option --" + key + " needs a value");
          }
          value = args[++i];
        }
      } else {
        throw new UsageException("unknown option " + name);
      }
      if (a.values.put(key, value) != null) {
        throw new UsageException("option --" + key + " is given twice");
      }
    }
    return a;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  boolean flag(String key) {
    return values.containsKey(key);
  }

  String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  String required(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new UsageException("option --" + key + " is required");
    }
    return v;
  }

  Path path(String key, Path fallback) {
    String v = values.get(key);
    return v == null ? fallback : Path.of(v);
  }

  long positiveLong(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n <= 0) {
        throw new UsageException("option --" + key + " must be positive, got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + key + " needs a whole number, got '" + v + "'");
    }
  }

  int positiveInt(String key, int fallback) {
    long n = positiveLong(key, fallback);
    if (n > Integer.MAX_VALUE) {
      throw new UsageException("option --" + key + " is too large: " + n);
    }
    return (int) n;
  }

  long anyLong(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + key + " needs a whole number, got '" + v + "'");
    }
  }

  float positiveFloat(String key, float fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      float f = Float.parseFloat(v);
      if (!(f > 0f) || Float.isInfinite(f)) {
        throw new UsageException("option --" + key + " must be a positive number, got " + v);
      }
      return f;
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + key + " needs a number, got '" + v + "'");
    }
  }

  float unitFloat(String key, float fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      float f = Float.parseFloat(v);
      if (!(f >= 0f && f < 1f)) {
        throw new UsageException("option --" + key + " must be in [0, 1), got " + v);
      }
      return f;
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + key + " needs a number, got '" + v + "'");
    }
  }

  String choice(String key, String fallback, List<String> allowed) {
    String v = values.getOrDefault(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new UsageException("option --" + key + " must be one of " + String.join(", ", allowed) + ", got '"
          + values.get(key) + "'");
    }
    return v;
  }
}
