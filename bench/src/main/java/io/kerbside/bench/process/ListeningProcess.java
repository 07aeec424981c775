package io.kerbside.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The process on this machine that listens on a TCP port, found from Linux's {@code /proc}: the
 * socket's inode in {@code /proc/net/tcp} (and {@code tcp6}), then the process holding a descriptor
 * of that socket. Used to measure the broker's CPU when it runs here.
 */
public final class ListeningProcess {
  private static final String LISTEN = "0A";

  private ListeningProcess() {}

  /**
   * The pid of the process listening on {@code port}, or empty when none is visible here (the
   * server is remote, in another PID namespace, or this process may not read its descriptors).
   */
  public static Optional<Long> onPort(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      inodes.addAll(listeningInodes(Path.of(table), port));
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (holdsSocket(proc.resolve("fd"), inodes)) {
          return Optional.of(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Inodes of the sockets in a {@code /proc/net/tcp} table that listen on {@code port}: lines
   * {@code sl local_address rem_address st ... inode}, addresses as hex {@code ADDR:PORT}.
   */
  static Set<String> listeningInodes(Path table, int port) {
    Set<String> inodes = new HashSet<>();
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    try {
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9
            && f[1].toUpperCase(Locale.ROOT).endsWith(portHex)
            && f[3].equals(LISTEN)) {
          inodes.add(f[9]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
    return inodes;
  }

  private static boolean holdsSocket(Path fdDir, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        String target = Files.readSymbolicLink(fd).toString();
        if (target.startsWith("socket:[")
            && inodes.contains(target.substring(8, target.length() - 1))) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }
}
