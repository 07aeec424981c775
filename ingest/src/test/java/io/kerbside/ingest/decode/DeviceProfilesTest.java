package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.core.Metric;
import io.kerbside.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProfilesTest {
  @Test
  void shipsTheSimulatorAndVendorProfiles() {
    DeviceProfiles profiles = DeviceProfiles.load(Optional.empty());
    assertThat(profiles.names())
        .contains(
            "kerbside-sim-bin",
            "kerbside-sim-streetlight",
            "kerbside-sim-pavement",
            "milesight-em400-udl",
            "dragino-ldds75");
    assertThat(profiles.forChirpstack("Dragino LDDS75"))
        .map(DeviceProfile::name)
        .hasValue("dragino-ldds75");
    assertThat(profiles.forTtn("any-app", "milesight-iot", "em400-udl"))
        .map(DeviceProfile::name)
        .hasValue("milesight-em400-udl");
    assertThat(profiles.forTtn("kerbside-sim-bin", "milesight-iot", "em400-udl"))
        .map(DeviceProfile::name)
        .hasValue("kerbside-sim-bin");
    assertThat(profiles.forTtn("any-app", null, null)).isEmpty();
  }

  @Test
  void aDirectoryProfileReplacesTheBuiltInOfTheSameName(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("em400.json"),
        "{\"name\":\"milesight-em400-udl\",\"kind\":\"bin\",\"bin_depth_mm\":800,"
            + "\"match\":{\"ttn_models\":[\"milesight-iot/em400-udl\"]},"
            + "\"fields\":{\"distance\":{\"metric\":\"distance_mm\",\"unit\":\"cm\"}}}");
    DeviceProfile p =
        DeviceProfiles.load(Optional.of(dir)).forTtn("x", "milesight-iot", "em400-udl").get();
    assertThat(p.binDepthMm()).isEqualTo(800);
    assertThat(p.fields().get("distance").metric()).isEqualTo(Metric.DISTANCE_MM);
  }

  @Test
  void refusesTwoProfilesClaimingOneDeviceProfileName(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("copy.json"),
        "{\"name\":\"copy\",\"kind\":\"bin\",\"native_metrics\":true,"
            + "\"match\":{\"chirpstack_device_profiles\":[\"Dragino LDDS75\"]}}");
    assertThatThrownBy(() -> DeviceProfiles.load(Optional.of(dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Dragino LDDS75");
  }

  private static void senmlProfile(Path dir, String name, String kind, String prefix)
      throws IOException {
    Files.writeString(
        dir.resolve(name + ".json"),
        "{\"name\":\""
            + name
            + "\",\"kind\":\""
            + kind
            + "\",\"native_metrics\":true,\"match\":{\"senml_base_names\":[\""
            + prefix
            + "\"]}}");
  }

  @Test
  void selectsASenmlProfileByAPrefixOfTheBaseName(@TempDir Path dir) throws IOException {
    senmlProfile(dir, "road", "pavement", "urn:dev:roadwx:");
    senmlProfile(dir, "lamps", "streetlight", "urn:dev:lamp:");
    DeviceProfiles profiles = DeviceProfiles.load(Optional.of(dir));
    assertThat(profiles.forSenml("urn:dev:roadwx:0042:")).map(DeviceProfile::name).hasValue("road");
    assertThat(profiles.forSenml("urn:dev:lamp:")).map(DeviceProfile::name).hasValue("lamps");
    assertThat(profiles.forSenml("urn:dev:road:")).isEmpty();
    assertThat(profiles.forSenml(null)).isEmpty();
  }

  @Test
  void theSenmlExampleInTheDocumentationLoads() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "formats.md"));
    int example = doc.indexOf("\"senml_base_names\"");
    int from = doc.lastIndexOf("```json\n", example) + "```json\n".length();
    DeviceProfile p =
        DeviceProfiles.parse(
            new ObjectMapper().readTree(doc.substring(from, doc.indexOf("```", from))),
            "docs/formats.md");
    assertThat(p.senmlBaseNames()).containsExactly("urn:dev:roadwx:");
    assertThat(p.fields().get("surface_temp").metric()).isEqualTo(Metric.SURFACE_TEMP_C);
  }

  @Test
  void refusesTwoProfilesWithOverlappingSenmlPrefixes(@TempDir Path dir) throws IOException {
    senmlProfile(dir, "road", "pavement", "urn:dev:roadwx:");
    senmlProfile(dir, "road-north", "pavement", "urn:dev:roadwx:n");
    assertThatThrownBy(() -> DeviceProfiles.load(Optional.of(dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "device profiles 'road' and 'road-north' have overlapping SenML base-name prefixes"
                + " 'urn:dev:roadwx:' and 'urn:dev:roadwx:n'");
    senmlProfile(dir, "road-north", "pavement", "urn:dev:roadwx:");
    assertThatThrownBy(() -> DeviceProfiles.load(Optional.of(dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'road' and 'road-north'");
  }

  @Test
  void namesTheFileAndFieldOfAnInvalidProfile() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    assertThatThrownBy(
            () ->
                DeviceProfiles.parse(
                    mapper.readTree(
                        "{\"name\":\"x\",\"kind\":\"bin\","
                            + "\"fields\":{\"lux\":{\"metric\":\"lux\"}}}"),
                    "x.json"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x.json")
        .hasMessageContaining("'lux' is not a metric of bin");
    assertThatThrownBy(
            () ->
                DeviceProfiles.parse(
                    mapper.readTree(
                        "{\"name\":\"x\",\"kind\":\"bin\","
                            + "\"fields\":{\"d\":{\"metric\":\"distance_mm\",\"unit\":\"V\"}}}"),
                    "x.json"))
        .hasMessageContaining("unit 'V' does not convert to distance_mm");
    assertThatThrownBy(
            () ->
                DeviceProfiles.parse(
                    mapper.readTree("{\"name\":\"x\",\"kind\":\"tree\"}"), "x.json"))
        .hasMessageContaining("'kind'");
    assertThatThrownBy(
            () ->
                DeviceProfiles.parse(
                    mapper.readTree(
                        "{\"name\":\"x\",\"kind\":\"bin\",\"native_metrics\":true,"
                            + "\"match\":{\"senml_base_names\":[\"urn:dev: bins\"]}}"),
                    "x.json"))
        .hasMessageContaining("'match.senml_base_names'")
        .hasMessageContaining("'urn:dev: bins'");
  }
}
