package io.kerbside.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.CouncilRef;
import org.junit.jupiter.api.Test;

class ApiPrincipalTest {
  private static final CouncilRef COUNCIL = new CouncilRef(1, "default");

  private static String actor(long id, String label) {
    return new ApiPrincipal(COUNCIL, ApiRole.OPERATOR, id, label).actor();
  }

  @Test
  void twoKeysWithOneLabelAreToldApartByTheirIds() {
    assertThat(actor(7, "north crew")).isEqualTo("key:7:north crew");
    assertThat(actor(8, "north crew")).isEqualTo("key:8:north crew");
  }

  @Test
  void aKeyWithoutALabelIsRecordedByItsId() {
    assertThat(actor(7, null)).isEqualTo("key:7");
    assertThat(actor(7, "  ")).isEqualTo("key:7");
  }

  @Test
  void aLabelCannotPassForAnotherKeyOrForKerbside() {
    assertThat(actor(9, "7:north crew")).isEqualTo("key:9:7:north crew").startsWith("key:9:");
    assertThat(actor(9, "kerbside")).isEqualTo("key:9:kerbside");
    assertThat(actor(9, "crew\nkey:1:admin\u0000")).isEqualTo("key:9:crew?key:1:admin?");
  }
}
