package io.kerbside.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Database settings shared by every role.
 *
 * @param url JDBC URL ({@code KERBSIDE_DB_URL})
 * @param user login role ({@code KERBSIDE_DB_USER})
 * @param password its password ({@code KERBSIDE_DB_PASSWORD}), masked in {@code toString()}
 * @param poolSize maximum connections of this process ({@code KERBSIDE_DB_POOL_SIZE})
 * @param storage how readings are stored ({@code KERBSIDE_DB_STORAGE})
 * @param retentionDays how long readings are kept ({@code KERBSIDE_RETENTION_DAYS})
 * @param migrateOnStart apply migrations when a role starts ({@code KERBSIDE_DB_MIGRATE})
 * @param compressAfterDays TimescaleDB (community licence) compresses chunks older than this
 *     ({@code KERBSIDE_TIMESCALE_COMPRESS_AFTER_DAYS})
 * @param rolePrefix the installation's group roles are {@code <prefix>_ingest}, {@code _reader},
 *     {@code _analytics} and {@code _grafana} ({@code KERBSIDE_DB_ROLE_PREFIX})
 */
public record DatabaseConfig(
    String url,
    String user,
    Secret password,
    int poolSize,
    StorageChoice storage,
    int retentionDays,
    boolean migrateOnStart,
    int compressAfterDays,
    String rolePrefix) {

  /** The default role prefix, under which every installation's roles were named before it. */
  public static final String DEFAULT_ROLE_PREFIX = "kerbside";

  /** Settings with the default role prefix. */
  public DatabaseConfig(
      String url,
      String user,
      Secret password,
      int poolSize,
      StorageChoice storage,
      int retentionDays,
      boolean migrateOnStart,
      int compressAfterDays) {
    this(
        url,
        user,
        password,
        poolSize,
        storage,
        retentionDays,
        migrateOnStart,
        compressAfterDays,
        DEFAULT_ROLE_PREFIX);
  }

  /** Which storage layout migrations create for readings. */
  public enum StorageChoice {
    /** TimescaleDB hypertables when the extension can be loaded, else native partitions. */
    AUTO,
    TIMESCALEDB,
    POSTGRES
  }

  public static final String URL = "KERBSIDE_DB_URL";
  public static final String USER = "KERBSIDE_DB_USER";
  public static final String PASSWORD = "KERBSIDE_DB_PASSWORD";
  public static final String POOL_SIZE = "KERBSIDE_DB_POOL_SIZE";
  public static final String STORAGE = "KERBSIDE_DB_STORAGE";
  public static final String RETENTION_DAYS = "KERBSIDE_RETENTION_DAYS";
  public static final String MIGRATE = "KERBSIDE_DB_MIGRATE";
  public static final String COMPRESS_AFTER_DAYS = "KERBSIDE_TIMESCALE_COMPRESS_AFTER_DAYS";
  public static final String ROLE_PREFIX = "KERBSIDE_DB_ROLE_PREFIX";

  public static DatabaseConfig from(Settings s) {
    String url = s.string(URL, "jdbc:postgresql://127.0.0.1:5432/postgres");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(URL + " must be a jdbc:postgresql: URL, got '" + url + "'");
    }
    refusePlaintext(s, url);
    Secret password = s.secret(PASSWORD);
    if (Environment.from(s) == Environment.PRODUCTION && password.isEmpty()) {
      throw new ConfigException(PASSWORD + " must be set when KERBSIDE_ENV=production");
    }
    return new DatabaseConfig(
        url,
        s.string(USER, "postgres"),
        password,
        s.intBetween(POOL_SIZE, 4, 1, 200),
        s.choice(STORAGE, StorageChoice.AUTO),
        s.intBetween(RETENTION_DAYS, 395, 1, 36_500),
        s.bool(MIGRATE, false),
        s.intBetween(COMPRESS_AFTER_DAYS, 7, 1, 36_500),
        rolePrefix(s));
  }

  private static String rolePrefix(Settings s) {
    String prefix = s.string(ROLE_PREFIX, DEFAULT_ROLE_PREFIX);
    if (!prefix.matches("[a-z][a-z0-9_]{0,39}")) {
      throw new ConfigException(
          ROLE_PREFIX
              + " must be 1 to 40 lower-case letters, digits and _, starting with a letter, got '"
              + prefix
              + "'");
    }
    return prefix;
  }

  /** The name of the installation's group role for {@code job}: {@code <prefix>_ingest}... */
  public String role(String job) {
    return rolePrefix + "_" + job;
  }

  /** The TLS modes that check the server's certificate against a trusted CA. */
  private static final List<String> VERIFIED_MODES = List.of("verify-full", "verify-ca");

  /**
   * In production a database on another machine is reached over TLS that checks the server's
   * certificate. {@code sslmode=require} is not enough: it encrypts but trusts any certificate, so
   * anyone on the path can pose as the database.
   */
  private static void refusePlaintext(Settings s, String url) {
    String mode = sslMode(url);
    if (VERIFIED_MODES.contains(mode)) {
      return;
    }
    for (String host : hosts(url)) {
      if (Plaintext.refused(s, host)) {
        throw new ConfigException(
            URL
                + " must carry sslmode=verify-full (or verify-ca) with sslrootcert=<CA file> for"
                + " the database host '"
                + host
                + "' when KERBSIDE_ENV=production, got sslmode="
                + mode
                + "; set "
                + Plaintext.ALLOW_PLAINTEXT
                + "=true to allow it without a verified TLS connection");
      }
    }
  }

  /**
   * The {@code sslmode} PgJDBC applies to {@code url}: the parameter, else {@code verify-full} when
   * {@code ssl=true} is given alone (PgJDBC's rule), else its default {@code prefer}.
   */
  static String sslMode(String url) {
    String mode = null;
    String ssl = null;
    int q = url.indexOf('?');
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : pair.substring(eq + 1).toLowerCase(Locale.ROOT);
        if (name.equals("sslmode")) {
          mode = value;
        } else if (name.equals("ssl")) {
          ssl = value;
        }
      }
    }
    if (mode != null) {
      return mode;
    }
    return ssl != null && !ssl.equals("false") ? "verify-full" : "prefer";
  }

  /** The hosts of a {@code jdbc:postgresql:} URL; {@code localhost} when it names none. */
  static List<String> hosts(String url) {
    String rest = url.substring("jdbc:postgresql:".length());
    if (!rest.startsWith("//")) {
      return List.of("localhost");
    }
    rest = rest.substring(2);
    int end = rest.length();
    for (char c : new char[] {'/', '?'}) {
      int i = rest.indexOf(c);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    List<String> hosts = new ArrayList<>();
    for (String hostPort : rest.substring(0, end).split(",")) {
      String host;
      if (hostPort.startsWith("[")) {
        int close = hostPort.indexOf(']');
        host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
      } else {
        int colon = hostPort.indexOf(':');
        host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      }
      hosts.add(host.isEmpty() ? "localhost" : host);
    }
    return hosts;
  }

  public DatabaseConfig withMigrateOnStart(boolean migrate) {
    return new DatabaseConfig(
        url,
        user,
        password,
        poolSize,
        storage,
        retentionDays,
        migrate,
        compressAfterDays,
        rolePrefix);
  }

  /** Every setting, with a password in the URL and the password itself masked. */
  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + SafeUrl.of(url)
        + ", user="
        + user
        + ", password="
        + password
        + ", poolSize="
        + poolSize
        + ", storage="
        + storage
        + ", retentionDays="
        + retentionDays
        + ", migrateOnStart="
        + migrateOnStart
        + ", compressAfterDays="
        + compressAfterDays
        + ", rolePrefix="
        + rolePrefix
        + "]";
  }
}
