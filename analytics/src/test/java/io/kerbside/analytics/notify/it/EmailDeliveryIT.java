package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.DeliveryOutcome;
import io.kerbside.analytics.notify.Notices;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.Settings;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail delivery to a real SMTP server (GreenMail) on a free loopback port. */
class EmailDeliveryIT {
  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("kerbside", "smtp-pw-9"));

  private Channel channel(String password) {
    String yaml =
        "channels:\n"
            + "  - name: bins-team\n"
            + "    type: email\n"
            + "    host: 127.0.0.1\n"
            + "    port: "
            + SMTP.getSmtp().getPort()
            + "\n"
            + "    starttls: false\n"
            + "    username: kerbside\n"
            + "    password_env: KERBSIDE_SMTP_PASSWORD\n"
            + "    from: alerts@kerbside.example\n"
            + "    to: [bins@council.example, supervisor@council.example]\n"
            + "    timeout_ms: 5000\n";
    RoutesConfig routes =
        RoutesConfig.parse(
            yaml, "routes.yaml", Settings.from(Map.of("KERBSIDE_SMTP_PASSWORD", password)));
    return Channels.create(routes.channel("bins-team").orElseThrow(), Clock.systemUTC());
  }

  @Test
  void sendsPlainAndHtmlWithTheLocationAndAMapLink() throws Exception {
    AlertNotice notice = Notices.binFull();
    DeliveryOutcome outcome = channel("smtp-pw-9").deliver(notice);
    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);

    MimeMessage[] received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(2); // one copy per recipient mailbox
    MimeMessage m = received[0];
    assertThat(m.getSubject()).isEqualTo("[MAJOR] bin-full opened: Market Square bin (BIN-0042)");
    assertThat(Arrays.stream(m.getAllRecipients()).map(Address::toString))
        .containsExactlyInAnyOrder("bins@council.example", "supervisor@council.example");
    assertThat(m.getFrom()[0].toString()).isEqualTo("alerts@kerbside.example");
    assertThat(m.getContentType()).startsWith("multipart/alternative");

    Multipart parts = (Multipart) m.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    BodyPart plain = parts.getBodyPart(0);
    BodyPart html = parts.getBodyPart(1);
    assertThat(plain.getContentType()).startsWith("text/plain");
    assertThat(html.getContentType()).startsWith("text/html");
    String mapUrl =
        "https://www.openstreetmap.org/?mlat=52.205300&mlon=0.121800#map=19/52.205300/0.121800";
    String text = (String) plain.getContent();
    assertThat(text)
        .contains("Bin 91% full")
        .contains("Location: Market Street, Castle ward, 52.205300, 0.121800")
        .contains("Map: " + mapUrl)
        .contains("Value: 91.0 (peak 93.5)");
    String page = (String) html.getContent();
    assertThat(page)
        .contains("<a href=\"" + mapUrl.replace("&", "&amp;") + "\">")
        .contains("Market Street")
        .contains("Market Square bin (BIN-0042)");
  }

  @Test
  void aRefusedLoginIsRetriedNotLost() {
    DeliveryOutcome outcome = channel("wrong-password").deliver(Notices.binFull());
    assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryableFailure.class);
    assertThat(((DeliveryOutcome.RetryableFailure) outcome).error())
        .doesNotContain("wrong-password");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }
}
