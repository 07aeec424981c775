package io.kerbside.registry.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceKind;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.parse.AssetListReader;
import io.kerbside.registry.parse.ParsedAssets;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AssetListWriterTest {
  private static final List<AssetRecord> RECORDS =
      List.of(
          new AssetRecord(
              new Asset(
                  "B/1",
                  DeviceKind.BIN,
                  "Bin by the \"Crown\", north side",
                  51.512345,
                  -0.120001,
                  "High Street",
                  "high-street",
                  "Market",
                  AssetStatus.ACTIVE,
                  LocalDate.of(2019, 6, 1),
                  new AssetAttributes.Bin(
                      1100, 240, Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(6, 45))),
              "bin-1",
              900),
          new AssetRecord(
              new Asset(
                  "L/1",
                  DeviceKind.STREETLIGHT,
                  null,
                  51.5,
                  -0.1,
                  null,
                  null,
                  null,
                  AssetStatus.FAULTY,
                  null,
                  new AssetAttributes.Streetlight("led", 36.5, "none", 8.0)),
              null,
              null),
          new AssetRecord(
              new Asset(
                  "P/1",
                  DeviceKind.PAVEMENT,
                  null,
                  -33.9,
                  151.2,
                  "George St",
                  null,
                  "CBD",
                  AssetStatus.PLANNED,
                  null,
                  new AssetAttributes.Pavement("asphalt", "carriageway", 50.0, 0.0)),
              "pave-1",
              600));

  @ParameterizedTest
  @EnumSource(AssetFormat.class)
  void readingWhatItWroteGivesTheSameRecords(AssetFormat format) throws Exception {
    StringWriter out = new StringWriter();
    AssetListWriter.write(format, RECORDS, out);

    ParsedAssets back = AssetListReader.read(format, new StringReader(out.toString()));

    assertThat(back.rejected()).isEmpty();
    assertThat(back.accepted()).isEqualTo(RECORDS);
  }
}
