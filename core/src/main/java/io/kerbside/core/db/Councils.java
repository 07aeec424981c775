package io.kerbside.core.db;

import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Council (tenant) records. */
public final class Councils {
  private final DataSource dataSource;

  public Councils(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<CouncilRef> find(String slug) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT council_id, slug FROM council WHERE slug = ?")) {
      ps.setString(1, slug);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new CouncilRef(rs.getInt(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** Creates a council, or returns the existing one with that slug. */
  public CouncilRef add(String slug, String name) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO council (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING")) {
      ps.setString(1, slug);
      ps.setString(2, name);
      ps.executeUpdate();
    }
    return find(slug).orElseThrow();
  }
}
