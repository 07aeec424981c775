package io.kerbside.core.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as it may appear in a log line: a password written inside it - in the user information
 * ({@code tcp://user:secret@host}) or as a query parameter ({@code jdbc:postgresql://h/db?password=
 * secret}) - is replaced by {@code <masked>}. Everything else stays, so the line still says where.
 */
public final class SafeUrl {
  private static final String MASK = "<masked>";

  /** Query parameters that carry a secret (case-insensitive). */
  private static final Set<String> SECRET_PARAMETERS =
      Set.of(
          "password",
          "passwd",
          "pwd",
          "sslpassword",
          "secret",
          "token",
          "access_token",
          "apikey",
          "api_key",
          "key");

  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*):([^/@?#\\s]*)@");
  private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;#\\s]+)=([^&;#\\s]*)");

  private SafeUrl() {}

  /** {@code url} with every password in it masked; null stays null. */
  public static String of(String url) {
    if (url == null) {
      return null;
    }
    String out = USER_INFO.matcher(url).replaceAll("$1:" + MASK + "@");
    Matcher m = PARAMETER.matcher(out);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(2).toLowerCase(Locale.ROOT);
      String value = SECRET_PARAMETERS.contains(name) ? MASK : m.group(3);
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + m.group(2) + "=" + value));
    }
    m.appendTail(b);
    return b.toString();
  }
}
