package io.kerbside.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.ImportReport.Rejection;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** The contract the asset-list fuzz tests check: every list is read or refused with a reason. */
final class AssetListFuzzing {
  private AssetListFuzzing() {}

  /**
   * Reads {@code input} (UTF-8, malformed bytes replaced, as a reader would see them) and checks
   * that it ended as accepted records and rejections with their reasons, or as a {@link
   * MalformedAssetListException} that says why.
   */
  static void readAndCheck(AssetFormat format, byte[] input) throws IOException {
    ParsedAssets parsed;
    try {
      parsed =
          AssetListReader.read(format, new StringReader(new String(input, StandardCharsets.UTF_8)));
    } catch (MalformedAssetListException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(parsed.positions()).hasSameSizeAs(parsed.accepted());
    for (Rejection r : parsed.rejected()) {
      assertThat(r.position()).isNotBlank();
      assertThat(r.reason()).isNotBlank();
    }
    for (AssetRecord r : parsed.accepted()) {
      Asset a = r.asset();
      assertThat(a.ref()).isNotBlank();
      assertThat(a.kind()).isNotNull();
      assertThat(a.status()).isNotNull();
      assertThat(a.attributes().kind()).isEqualTo(a.kind());
      assertThat(a.latitude()).isBetween(-90.0, 90.0);
      assertThat(a.longitude()).isBetween(-180.0, 180.0);
    }
  }
}
