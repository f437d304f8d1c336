package io.github.gan4j.data;

import io.github.gan4j.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file to download once and verify: where it comes from, how big it is, and its
 * checksums. {@link #fetch} writes to a temporary file next to the target, checks size,
 * MD5 and SHA-256, and only then moves it into place atomically, so an interrupted or
 * corrupt transfer never leaves a file that looks valid.
 *
 * @param uri where to download from (http or https)
 * @param size exact size in bytes
 * @param md5 expected MD5, lower-case hex, or null
 * @param sha256 expected SHA-256, lower-case hex
 */
public record Download(URI uri, long size, String md5, String sha256) {

  /** Validates the arguments. */
  public Download {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive, was " + size);
    }
  }

  /** Receives download progress; called from the downloading thread. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} bytes have arrived. */
    void update(long done, long total);

    /** Reports nothing. */
    Progress NONE = (done, total) -> {};
  }

  /** Thrown when a download fails; the message says why and what to do instead. */
  public static final class DownloadException extends IOException {
    DownloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Returns {@code target} if it exists with the right size (checksums were verified when
   * it was downloaded), else downloads it.
   *
   * @param offlineHint what to tell the user when the network is unreachable, e.g. how to
   *     point at a local copy
   */
  public Path fetch(Path target, Progress progress, String offlineHint) throws IOException {
    return fetch(target, progress, offlineHint, DEFAULT_STALL_TIMEOUT);
  }

  /** How long a transfer may deliver no byte before it is abandoned, by default. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * As {@link #fetch(Path, Progress, String)}, abandoning the transfer when no byte arrives
   * for {@code stallTimeout}.
   */
  public Path fetch(Path target, Progress progress, String offlineHint, Duration stallTimeout) throws IOException {
    if (Files.isRegularFile(target) && Files.size(target) == size) {
      return target;
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = Files.createTempFile(dir, target.getFileName() + ".", ".part");
    try {
      transfer(part, progress, offlineHint, stallTimeout);
      verify(part);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private void transfer(Path part, Progress progress, String offlineHint, Duration stallTimeout)
      throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
      throw new DownloadException("cannot reach " + uri.getHost() + " to download " + uri + " (" + e + "). "
          + offlineHint, e);
    } catch (HttpTimeoutException e) {
      throw new DownloadException("download of " + uri + " timed out. " + offlineHint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownloadException("download of " + uri + " was interrupted", e);
    } catch (IOException e) {
      throw new DownloadException("cannot download " + uri + ": " + e + ". " + offlineHint, e);
    }
    InputStream in = response.body();
    // a watchdog closes the stream when no byte arrives for stallTimeout, so a stalled
    // server cannot hang the caller: HttpClient's own timeout ends with the headers
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    AtomicBoolean stalled = new AtomicBoolean();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gan4j-download-watchdog");
      t.setDaemon(true);
      return t;
    });
    long checkMillis = Math.max(50, Math.min(1000, stallTimeout.toMillis() / 4));
    watchdog.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastProgress.get() > stallTimeout.toNanos() && stalled.compareAndSet(false, true)) {
        try {
          in.close();
        } catch (IOException ignored) {
          // the reading thread reports the failure
        }
      }
    }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    long done = 0;
    try (in) {
      if (response.statusCode() != 200) {
        throw new DownloadException("download of " + uri + " failed: the server answered HTTP "
            + response.statusCode() + ". " + offlineHint, null);
      }
      byte[] buffer = new byte[1 << 16];
      try (OutputStream out = Files.newOutputStream(part)) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          lastProgress.set(System.nanoTime());
          out.write(buffer, 0, n);
          done += n;
          if (done > size) {
            throw new DownloadException("download of " + uri + " is larger than the expected " + size
                + " bytes; the file on the server is not the expected one", null);
          }
          progress.update(done, size);
        }
      }
    } catch (DownloadException e) {
      throw e;
    } catch (IOException e) {
      String why = stalled.get() ? "no data for " + stallTimeout.toMillis() / 1000.0 + " s" : e.getMessage();
      throw new DownloadException("download of " + uri + " broke off after " + done + " of " + size
          + " bytes (" + why + "); run again to retry. " + offlineHint, e);
    } finally {
      watchdog.shutdownNow();
    }
    if (stalled.get() || done != size) {
      throw new DownloadException("download of " + uri + " ended after " + done + " of " + size
          + " bytes; run again to retry", null);
    }
  }

  /**
   * Checks that {@code file} has this download's size and checksums.
   *
   * @throws DataFormatException naming the file and the expected vs found checksum
   */
  public void verify(Path file) throws IOException {
    long actual = Files.size(file);
    if (actual != size) {
      throw new DataFormatException(file, 0, "size " + actual + " bytes, expected " + size,
          "delete it and download again");
    }
    String[] found = md5 == null ? Digests.of(file, "SHA-256") : Digests.of(file, "SHA-256", "MD5");
    String foundSha = found[0];
    if (!foundSha.equals(sha256)) {
      throw new DataFormatException(file, 0, "SHA-256 " + foundSha + ", expected " + sha256,
          "the file is corrupt or not the expected one; delete it and download again");
    }
    if (md5 != null) {
      String foundMd5 = found[1];
      if (!foundMd5.equals(md5)) {
        throw new DataFormatException(file, 0, "MD5 " + foundMd5 + ", expected " + md5,
            "the file is corrupt or not the expected one; delete it and download again");
      }
    }
  }
}
