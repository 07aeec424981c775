package io.kerbside.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CrewLinksTest {
  private static final CouncilRef COUNCIL = new CouncilRef(3, "north-town");
  private static final Instant NOW = Instant.parse("2026-01-15T07:00:00Z");
  private static final Secret SECRET = Secret.of("s".repeat(40));
  private final CrewLinks links = new CrewLinks(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aSignedLinkCarriesCouncilCrewAndExpiry() {
    String token = links.sign(COUNCIL, "North crew", NOW.plusSeconds(3600));
    CrewPass pass = links.verify(token).orElseThrow();
    assertThat(pass.council()).isEqualTo(COUNCIL);
    assertThat(pass.crew()).isEqualTo("North crew");
    assertThat(pass.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(ApiPrincipal.crew(pass).actor()).isEqualTo("crew:North crew");
    assertThat(ApiPrincipal.crew(pass).role()).isEqualTo(ApiRole.OPERATOR);
  }

  @Test
  void anExpiredLinkIsRefused() {
    String token = links.sign(COUNCIL, "North crew", NOW);
    assertThat(links.verify(token)).isEmpty();
  }

  @Test
  void aTamperedLinkIsRefused() {
    String token = links.sign(COUNCIL, "North crew", NOW.plusSeconds(3600));
    String forged =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("v1|1|default|" + NOW.plusSeconds(3600).getEpochSecond() + "|North crew")
                        .getBytes(StandardCharsets.UTF_8))
            + token.substring(token.indexOf('.'));
    assertThat(links.verify(forged)).isEmpty();
    assertThat(links.verify(token + "x")).isEmpty();
    assertThat(links.verify("no-dot")).isEmpty();
    assertThat(links.verify("a.b.c")).isEmpty();
    assertThat(links.verify("%%%.%%%")).isEmpty();
    assertThat(links.verify("")).isEmpty();
  }

  @Test
  void aLinkSignedWithAnotherSecretIsRefused() {
    CrewLinks other = new CrewLinks(Secret.of("t".repeat(40)), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(links.verify(other.sign(COUNCIL, "North crew", NOW.plusSeconds(60)))).isEmpty();
  }

  @Test
  void aShortSecretOrABadCrewNameIsRefused() {
    assertThatThrownBy(() -> new CrewLinks(Secret.of("short"), Clock.systemUTC()))
        .hasMessageContaining("32");
    assertThatThrownBy(() -> links.sign(COUNCIL, "a|b", NOW.plusSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> links.sign(COUNCIL, "", NOW.plusSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
