package io.kerbside.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.DeviceKind;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleDefinitionTest {
  static RuleDefinition definition(String code, Set<DeviceKind> kinds, Set<Trigger> triggers) {
    return new RuleDefinition(
        code,
        kinds,
        Scope.ASSET,
        triggers,
        Severity.MINOR,
        RuleParams.of("fill_pct", 85),
        "bin fill at or above fill_pct");
  }

  @Test
  void everyCataloguedRuleHasACompleteDefinitionUnderAUniqueCode() {
    Set<String> codes = new HashSet<>();
    for (Rule r : RuleCatalog.all()) {
      RuleDefinition d = r.definition();
      assertThat(d).as(r.getClass().getSimpleName()).isNotNull();
      assertThat(codes.add(d.code())).as(d.code() + " is unique").isTrue();
      assertThat(r.code()).isEqualTo(d.code());
      assertThat(r.defaults()).isSameAs(d.defaults());
    }
    assertThat(codes).hasSize(RuleCatalog.all().size());
  }

  @Test
  void rejectsADefinitionWithoutKindsTriggersOrCode() {
    Set<Trigger> reading = Set.of(Trigger.READING);
    Set<DeviceKind> bin = Set.of(DeviceKind.BIN);
    assertThatThrownBy(() -> definition("bin-full", Set.of(), reading))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bin-full");
    assertThatThrownBy(() -> definition("bin-full", bin, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bin-full");
    assertThatThrownBy(() -> definition(" ", bin, reading))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> definition(null, bin, reading))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void keepsItsOwnUnmodifiableCopyOfTheSets() {
    Set<DeviceKind> kinds = EnumSet.of(DeviceKind.BIN);
    RuleDefinition d = definition("bin-full", kinds, Set.of(Trigger.READING));
    kinds.add(DeviceKind.PAVEMENT);
    assertThat(d.kinds()).containsExactly(DeviceKind.BIN);
    assertThatThrownBy(() -> d.kinds().add(DeviceKind.PAVEMENT))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.triggers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
