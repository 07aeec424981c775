package io.kerbside.ingest.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.mqtt.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

class MosquittoAccessTest {
  private static final List<Subscription> SUBS =
      List.of(
          new Subscription("camden/kerbside/+/+", PayloadFormat.NATIVE, "camden"),
          new Subscription("v3/camden-app@ttn/devices/+/up", PayloadFormat.TTN, "camden"),
          new Subscription("leeds/+/+", PayloadFormat.NATIVE, "leeds"));

  @Test
  void eachDeviceMayPublishOnlyToItsOwnTopicAndKerbsideOnlyReads() {
    MosquittoAccess access = new MosquittoAccess("kerbside", "s3cret", SUBS, "", false);
    int added =
        access.addCouncil(
            "camden",
            List.of(
                new MosquittoAccess.Device("bin-1", DeviceKind.BIN),
                new MosquittoAccess.Device("lamp-7", DeviceKind.STREETLIGHT)));

    assertThat(added).isEqualTo(2);
    assertThat(access.aclFile())
        .contains(
            "user kerbside\ntopic read camden/kerbside/+/+\ntopic read v3/camden-app@ttn/devices/+/up\n"
                + "topic read leeds/+/+\n")
        .contains("user bin-1\ntopic write camden/kerbside/bin/bin-1\n")
        .contains("user lamp-7\ntopic write camden/kerbside/streetlight/lamp-7\n")
        .doesNotContain("leeds/bin", "topic write camden/kerbside/+", "s3cret");
    assertThat(access.passwordFile().lines())
        .hasSize(3)
        .allMatch(l -> l.matches("[a-z0-9-]+:\\$7\\$101\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+"));
    assertThat(access.newCredentialsCsv().lines())
        .hasSize(3)
        .first()
        .isEqualTo("device_id,password");
  }

  @Test
  void runningAgainKeepsADevicesPasswordUnlessRotated() {
    MosquittoAccess first = new MosquittoAccess("kerbside", "pw", SUBS, "", false);
    first.addCouncil("leeds", List.of(new MosquittoAccess.Device("bin-9", DeviceKind.BIN)));
    String file = first.passwordFile();
    String bin9 = file.lines().filter(l -> l.startsWith("bin-9:")).findFirst().orElseThrow();

    MosquittoAccess again = new MosquittoAccess("kerbside", "pw", SUBS, file, false);
    again.addCouncil("leeds", List.of(new MosquittoAccess.Device("bin-9", DeviceKind.BIN)));
    assertThat(again.passwordFile()).contains(bin9);
    assertThat(again.newPasswordCount()).isZero();

    MosquittoAccess rotated = new MosquittoAccess("kerbside", "pw", SUBS, file, true);
    rotated.addCouncil("leeds", List.of(new MosquittoAccess.Device("bin-9", DeviceKind.BIN)));
    assertThat(rotated.passwordFile()).doesNotContain(bin9);
    assertThat(rotated.newPasswordCount()).isEqualTo(1);
  }

  @Test
  void aFilterThatCannotNameOneTopicPerDeviceIsRefusedNotGuessed() {
    List<Subscription> wild =
        List.of(new Subscription("+/kerbside/+/+", PayloadFormat.NATIVE, "camden"));
    MosquittoAccess access = new MosquittoAccess("kerbside", "pw", wild, "", false);
    assertThatThrownBy(
            () ->
                access.addCouncil(
                    "camden", List.of(new MosquittoAccess.Device("bin-1", DeviceKind.BIN))))
        .hasMessageContaining("+/kerbside/+/+");
    assertThatThrownBy(() -> access.addCouncil("york", List.of()))
        .hasMessageContaining("york has no subscription");
  }

  @Test
  void aFilterForOneKindGivesTopicsOnlyToThatKind() {
    List<Subscription> lamps =
        List.of(new Subscription("town/streetlight/+", PayloadFormat.NATIVE, "town"));
    MosquittoAccess access = new MosquittoAccess("kerbside", "pw", lamps, "", false);
    int added =
        access.addCouncil(
            "town",
            List.of(
                new MosquittoAccess.Device("bin-1", DeviceKind.BIN),
                new MosquittoAccess.Device("lamp-1", DeviceKind.STREETLIGHT)));
    assertThat(added).isEqualTo(1);
    assertThat(access.aclFile())
        .contains("topic write town/streetlight/lamp-1")
        .doesNotContain("bin-1");
  }

  @Test
  void hashesAreMosquittosPbkdf2Sha512() {
    // salt and hash made with mosquitto_passwd 2.0 for the password "kerbside"
    String made =
        "$7$101$UGl5LPTWld+5DWl7$D4b+8s68XV+lTjfmvnQDEBmUgKjANDLXMih22YwV54yEemKBkWa+WgRNyysza5bITSg86w2eqVLdPjSix+/qHQ==";
    byte[] salt = java.util.Base64.getDecoder().decode("UGl5LPTWld+5DWl7");
    assertThat(MosquittoPasswords.hash("kerbside", salt, 101)).isEqualTo(made);
  }
}
