package io.kerbside.registry;

import io.kerbside.core.CouncilRef;
import io.kerbside.registry.parse.AssetListReader;
import io.kerbside.registry.parse.MalformedAssetListException;
import io.kerbside.registry.parse.ParsedAssets;
import io.kerbside.registry.store.AssetRepository;
import io.kerbside.registry.write.AssetListWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Imports and exports a council's asset list. Blocks on JDBC and I/O; call from a worker or
 * command-line thread.
 */
public final class AssetRegistry {
  private final AssetRepository assets;

  public AssetRegistry(DataSource dataSource) {
    this.assets = new AssetRepository(dataSource);
  }

  /**
   * Validates the list and upserts its good records by asset reference, in one transaction;
   * importing the same list again changes nothing.
   *
   * @throws MalformedAssetListException when the list as a whole cannot be read (nothing stored)
   */
  public ImportReport importList(CouncilRef council, AssetFormat format, Reader in)
      throws IOException, SQLException {
    ParsedAssets parsed = AssetListReader.read(format, in);
    return assets.importRecords(council, parsed.accepted(), parsed.positions(), parsed.rejected());
  }

  /** Writes every asset of the council with its devices; does not close {@code out}. */
  public int exportList(CouncilRef council, AssetFormat format, Writer out)
      throws IOException, SQLException {
    var records = assets.records(council);
    AssetListWriter.write(format, records, out);
    return records.size();
  }
}
