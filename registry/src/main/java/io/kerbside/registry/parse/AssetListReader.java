package io.kerbside.registry.parse;

import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.ImportReport.Rejection;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an asset list in a given format and validates every record: the good ones are kept, the bad
 * ones rejected with their position and reasons.
 */
public final class AssetListReader {
  private AssetListReader() {}

  /**
   * @throws MalformedAssetListException when the list as a whole cannot be read
   * @throws IOException when {@code in} fails
   */
  public static ParsedAssets read(AssetFormat format, Reader in) throws IOException {
    List<RawRecord> raw =
        switch (format) {
          case CSV -> CsvRecords.read(in);
          case GEOJSON -> GeoJsonRecords.read(in);
        };
    List<AssetRecord> accepted = new ArrayList<>();
    List<String> positions = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (RawRecord r : raw) {
      if (r.problem() != null) {
        rejected.add(new Rejection(r.position(), r.fields().get("asset_ref"), r.problem()));
        continue;
      }
      AssetValidator.Outcome o = AssetValidator.validate(r.position(), r.fields());
      if (o.record() != null) {
        accepted.add(o.record());
        positions.add(r.position());
      } else {
        rejected.add(o.rejection());
      }
    }
    return new ParsedAssets(accepted, positions, rejected);
  }

  /** One record's fields as text, or a problem that stops it before validation. */
  record RawRecord(String position, Map<String, String> fields, String problem) {}
}
