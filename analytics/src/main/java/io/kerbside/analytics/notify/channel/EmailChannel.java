package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.ChannelSettings;
import io.kerbside.analytics.notify.ChannelType;
import io.kerbside.analytics.notify.DeliveryOutcome;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * Sends the notice as a multipart/alternative e-mail (plain text and HTML) with the asset's
 * location and an OpenStreetMap link, to the channel's recipients through its SMTP server.
 * Connection problems are retried; addresses the server refuses are permanent.
 */
final class EmailChannel implements Channel {
  private final ChannelSettings.Email settings;
  private final Session session;
  private final InternetAddress from;
  private final InternetAddress[] to;

  EmailChannel(ChannelSettings.Email settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", settings.host());
    p.put("mail.smtp.port", Integer.toString(settings.port()));
    p.put("mail.smtp.auth", Boolean.toString(!settings.username().isEmpty()));
    p.put("mail.smtp.starttls.enable", Boolean.toString(settings.starttls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(settings.starttls()));
    String timeout = Integer.toString(settings.timeoutMs());
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    this.session = Session.getInstance(p);
    try {
      this.from = new InternetAddress(settings.from(), true);
      this.to = new InternetAddress[settings.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(settings.to().get(i), true);
      }
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          settings.name() + ": not an e-mail address: " + e.getRef(), e);
    }
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  /** The message for a notice, ready to send. */
  MimeMessage message(AlertNotice notice) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(from);
    m.setRecipients(Message.RecipientType.TO, to);
    m.setSubject(NoticeText.subject(notice), StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(Instant.now()));
    m.setHeader("X-Kerbside-Alert-Id", Long.toString(notice.alertId()));
    MimeBodyPart plain = new MimeBodyPart();
    plain.setText(NoticeText.plain(notice), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(NoticeText.html(notice), StandardCharsets.UTF_8.name(), "html");
    // alternative parts go from the plainest to the richest
    MimeMultipart body = new MimeMultipart("alternative", plain, html);
    m.setContent(body);
    m.saveChanges();
    return m;
  }

  @Override
  public DeliveryOutcome deliver(AlertNotice notice) {
    try {
      MimeMessage m = message(notice);
      if (settings.username().isEmpty()) {
        Transport.send(m);
      } else {
        Transport.send(m, settings.username(), settings.password().reveal());
      }
      return DeliveryOutcome.delivered();
    } catch (SendFailedException e) {
      Address[] sent = e.getValidSentAddresses();
      Address[] invalid = e.getInvalidAddresses();
      if ((sent == null || sent.length == 0) && invalid != null && invalid.length > 0) {
        return DeliveryOutcome.permanent("SMTP refused the recipients: " + e.getMessage());
      }
      return DeliveryOutcome.retry("SMTP: " + e.getMessage());
    } catch (AuthenticationFailedException e) {
      return DeliveryOutcome.retry("SMTP authentication failed as " + settings.username());
    } catch (MessagingException e) {
      return DeliveryOutcome.retry("SMTP " + settings.host() + ":" + settings.port() + ": " + e);
    }
  }

  @Override
  public String toString() {
    return "EmailChannel[" + settings + "]";
  }
}
