package io.kerbside.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.DeviceKind;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.ImportReport.Rejection;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssetListReaderTest {
  /** The simulator's town export header and three of its rows. */
  private static final String TOWN_CSV =
      "device_id,kind,asset_ref,latitude,longitude,ward,street,street_type,expected_interval_s,"
          + "bin_depth_mm,bin_capacity_l,collection_days,collection_time,lamp_type,rated_power_w,"
          + "dimming_profile,mounting_height_m,surface,section_length_m,shade\n"
          + "bin-00001,bin,CAS/BIN/00001,51.5123,-0.1201,Market,High Street,high-street,900,"
          + "1100,240,mon wed fri,06:45,,,,,,,\n"
          + "light-00001,streetlight,CAS/LIGHT/00001,51.5124,-0.1202,Market,\"Mill Lane, East\","
          + "main-road,600,,,,,led,36,part-night,8,,,\n"
          + "pave-00001,pavement,CAS/PAVE/00001,51.5125,-0.1203,North,Park Road,park,600,"
          + ",,,,,,,,block-paving,50,0.25\n";

  private static ParsedAssets csv(String text) throws Exception {
    return AssetListReader.read(AssetFormat.CSV, new StringReader(text));
  }

  private static ParsedAssets geoJson(String text) throws Exception {
    return AssetListReader.read(AssetFormat.GEOJSON, new StringReader(text));
  }

  @Test
  void readsTheSimulatorsTownExportCsv() throws Exception {
    ParsedAssets parsed = csv(TOWN_CSV);

    assertThat(parsed.rejected()).isEmpty();
    assertThat(parsed.accepted()).hasSize(3);
    AssetRecord bin = parsed.accepted().get(0);
    assertThat(bin.deviceId()).isEqualTo("bin-00001");
    assertThat(bin.expectedIntervalS()).isEqualTo(900);
    assertThat(bin.asset().ref()).isEqualTo("CAS/BIN/00001");
    assertThat(bin.asset().kind()).isEqualTo(DeviceKind.BIN);
    assertThat(bin.asset().latitude()).isEqualTo(51.5123);
    assertThat(bin.asset().status()).isEqualTo(AssetStatus.ACTIVE);
    assertThat(bin.asset().attributes())
        .isEqualTo(
            new AssetAttributes.Bin(
                1100,
                240,
                Set.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                LocalTime.of(6, 45)));
    Asset light = parsed.accepted().get(1).asset();
    assertThat(light.street()).isEqualTo("Mill Lane, East");
    assertThat(light.attributes())
        .isEqualTo(new AssetAttributes.Streetlight("led", 36.0, "part-night", 8.0));
    assertThat(parsed.accepted().get(2).asset().attributes())
        .isEqualTo(new AssetAttributes.Pavement("block-paving", null, 50.0, 0.25));
  }

  @Test
  void keepsGoodRowsAndReportsEachBadRowWithItsReasons() throws Exception {
    String text =
        "asset_ref,kind,latitude,longitude,device_id,status,installed_on,lamp_type,bin_depth_mm\n"
            + "A1,bin,51.5,-0.1,bin-1,active,2020-03-01,,900\n"
            + "A2,lamppost,51.5,-0.1,,,,,\n"
            + "A3,streetlight,95,-0.1,light/3,,,,\n"
            + ",bin,51.5,-0.1,,,,,\n"
            + "A5,streetlight,51.5,-0.1,,broken,30/02/2020,neon,\n"
            + "A6,streetlight,51.5,-0.1,,,,led,900\n"
            + "A7,bin,51.5\n"
            + "A8,bin,51.6,-0.2,,planned,,,\n";

    ParsedAssets parsed = csv(text);

    assertThat(parsed.accepted()).extracting(r -> r.asset().ref()).containsExactly("A1", "A8");
    assertThat(parsed.accepted().get(0).asset().installedOn()).isEqualTo(LocalDate.of(2020, 3, 1));
    assertThat(parsed.accepted().get(1).asset().status()).isEqualTo(AssetStatus.PLANNED);
    assertThat(parsed.rejected())
        .extracting(Rejection::position)
        .containsExactly("line 3", "line 4", "line 5", "line 6", "line 7", "line 8");
    assertThat(parsed.rejected().get(0).reason())
        .contains("kind must be bin, streetlight or pavement");
    assertThat(parsed.rejected().get(1).reason())
        .contains("latitude must be between -90 and 90, got 95")
        .contains("device_id must be");
    assertThat(parsed.rejected().get(2).reason()).contains("asset_ref is missing");
    assertThat(parsed.rejected().get(3).reason())
        .contains("status must be planned, active, faulty or removed")
        .contains("installed_on must be a date")
        .contains("lamp_type must be one of");
    assertThat(parsed.rejected().get(3).assetRef()).isEqualTo("A5");
    assertThat(parsed.rejected().get(4).reason())
        .contains("bin_depth_mm is for a bin, not a streetlight");
    assertThat(parsed.rejected().get(5).reason()).contains("has 3 fields, the header 9");
  }

  @Test
  void countsLinesOfQuotedLineBreaksAndAcceptsCrlfAndAByteOrderMark() throws Exception {
    String text =
        "\uFEFFasset_ref,kind,latitude,longitude,name\r\n"
            + "A1,bin,51.5,-0.1,\"two\nlines\"\r\n"
            + "A2,bin,x,-0.1,\r\n";

    ParsedAssets parsed = csv(text);

    assertThat(parsed.accepted())
        .singleElement()
        .satisfies(r -> assertThat(r.asset().name()).isEqualTo("two\nlines"));
    assertThat(parsed.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.position()).isEqualTo("line 4");
              assertThat(r.reason()).isEqualTo("latitude must be a number, got 'x'");
            });
  }

  @Test
  void refusesACsvWithoutTheRequiredColumns() {
    assertThatThrownBy(() -> csv("asset_ref,kind,lat,lon\nA1,bin,1,2\n"))
        .isInstanceOf(MalformedAssetListException.class)
        .hasMessageContaining("latitude, longitude");
    assertThatThrownBy(() -> csv("")).isInstanceOf(MalformedAssetListException.class);
  }

  @Test
  void readsGeoJsonPointsWithTheFeatureIdAsDevice() throws Exception {
    String text =
        """
        {"type":"FeatureCollection","properties":{"centre":"Castleford"},"features":[
        {"type":"Feature","id":"light-00001","geometry":{"type":"Point","coordinates":[-0.12,51.51]},
         "properties":{"kind":"streetlight","asset_ref":"CAS/LIGHT/00001","ward":"Market",
          "expected_interval_s":600,"lamp_type":"son","rated_power_w":70.5}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},
         "properties":{"kind":"pavement","asset_ref":"P1"}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[-0.13,51.52]},
         "properties":{"kind":"pavement","asset_ref":"P2","pavement_use":"footpath"}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[-0.13,51.52]},
         "properties":{"kind":"pavement","asset_ref":"P3","pavement_use":"carriageway","shade":0}}
        ]}
        """;

    ParsedAssets parsed = geoJson(text);

    assertThat(parsed.accepted())
        .extracting(r -> r.asset().ref())
        .containsExactly("CAS/LIGHT/00001", "P3");
    AssetRecord light = parsed.accepted().get(0);
    assertThat(light.deviceId()).isEqualTo("light-00001");
    assertThat(light.expectedIntervalS()).isEqualTo(600);
    assertThat(light.asset().longitude()).isEqualTo(-0.12);
    assertThat(light.asset().latitude()).isEqualTo(51.51);
    assertThat(light.asset().attributes())
        .isEqualTo(new AssetAttributes.Streetlight("son", 70.5, null, null));
    assertThat(parsed.rejected())
        .extracting(Rejection::position, Rejection::assetRef)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("feature 2", "P1"),
            org.assertj.core.groups.Tuple.tuple("feature 3", "P2"));
    assertThat(parsed.rejected().get(0).reason()).contains("geometry must be a Point");
    assertThat(parsed.rejected().get(1).reason())
        .contains("pavement_use must be one of carriageway, footway");
  }

  @Test
  void refusesJsonThatIsNotAFeatureCollection() {
    assertThatThrownBy(() -> geoJson("{\"type\":\"Feature\"}"))
        .isInstanceOf(MalformedAssetListException.class);
    assertThatThrownBy(() -> geoJson("not json")).isInstanceOf(MalformedAssetListException.class);
  }
}
