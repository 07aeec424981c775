package io.kerbside.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.SafeUrl;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/** Builds the HikariCP pool every role shares; connections use the {@code kerbside} schema. */
public final class DataSources {
  private DataSources() {}

  /**
   * Opens a pool and checks one connection, so a wrong URL or password fails at start-up.
   *
   * @throws DatabaseUnavailableException when no connection can be made; its message names the URL
   *     and user, never the password
   */
  public static HikariDataSource open(
      DatabaseConfig config, String poolName, MeterRegistry meters) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(config.url());
    hc.setUsername(config.user());
    if (!config.password().isEmpty()) {
      hc.setPassword(config.password().reveal());
    }
    hc.setMaximumPoolSize(config.poolSize());
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(5_000);
    hc.setValidationTimeout(2_000);
    hc.setInitializationFailTimeout(-1);
    hc.setSchema(Migrations.SCHEMA);
    hc.addDataSourceProperty("ApplicationName", "kerbside-" + poolName);
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    hc.addDataSourceProperty("connectTimeout", "5");
    hc.addDataSourceProperty("socketTimeout", "120");
    if (meters != null) {
      hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }
    HikariDataSource ds = new HikariDataSource(hc);
    try (Connection c = ds.getConnection()) {
      c.isValid(2);
    } catch (SQLException e) {
      ds.close();
      Throwable root = e;
      boolean tls = false;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
        tls |= root instanceof SSLException || root instanceof CertificateException;
      }
      throw new DatabaseUnavailableException(
          "cannot connect to "
              + SafeUrl.of(config.url())
              + " as "
              + config.user()
              + ": "
              + root.getMessage()
              + (tls
                  ? " (the TLS handshake failed: check that sslrootcert in "
                      + DatabaseConfig.URL
                      + " names the CA that signed the server's certificate, and that the"
                      + " certificate names the host of the URL)"
                  : ""),
          e);
    }
    return ds;
  }
}
