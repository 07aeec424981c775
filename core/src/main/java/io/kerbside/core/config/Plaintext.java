package io.kerbside.core.config;

import java.util.Locale;

/**
 * Whether a connection may go unencrypted. In production, a connection to another machine must use
 * verified TLS unless {@value #ALLOW_PLAINTEXT} is true (for a private network the operator vouches
 * for); loopback connections never leave the machine and are always allowed.
 */
public final class Plaintext {
  public static final String ALLOW_PLAINTEXT = "KERBSIDE_ALLOW_PLAINTEXT";

  private Plaintext() {}

  /**
   * True when a production process must refuse an unverified connection to {@code host}: {@code
   * KERBSIDE_ENV=production}, {@code host} not a loopback address and {@value #ALLOW_PLAINTEXT} not
   * true.
   */
  public static boolean refused(Settings s, String host) {
    return Environment.from(s) == Environment.PRODUCTION
        && !isLoopback(host)
        && !s.bool(ALLOW_PLAINTEXT, false);
  }

  /**
   * The host of {@code scheme://[user[:password]@]host[:port][/...]}; IPv6 addresses keep their
   * brackets.
   */
  public static String hostOf(String url) {
    String authority = url.substring(url.indexOf("://") + 3);
    int slash = authority.indexOf('/');
    if (slash >= 0) {
      authority = authority.substring(0, slash);
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(0, close + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /**
   * Whether {@code host} names this machine: {@code localhost}, an address in 127.0.0.0/8 or {@code
   * ::1} (with or without brackets). Decided by the text alone, never by a DNS lookup.
   */
  public static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
