package io.kerbside.core.config;

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
