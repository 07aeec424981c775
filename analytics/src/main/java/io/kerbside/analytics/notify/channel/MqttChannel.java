package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.ChannelSettings;
import io.kerbside.analytics.notify.ChannelType;
import io.kerbside.analytics.notify.DeliveryOutcome;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the notice's JSON with QoS 1, not retained, to {@code
 * <prefix>/<council>/<kind>/<rule>}. Connects on first use and again after the connection is lost;
 * a publish that the broker has not acknowledged within the timeout is retried later.
 */
final class MqttChannel implements Channel {
  private static final Logger LOG = LoggerFactory.getLogger(MqttChannel.class);

  private final ChannelSettings.Mqtt settings;
  private MqttClient client;

  MqttChannel(ChannelSettings.Mqtt settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public ChannelType type() {
    return ChannelType.MQTT;
  }

  /** The topic a notice is published to. */
  String topic(AlertNotice n) {
    return settings.topicPrefix() + "/" + n.councilSlug() + "/" + n.kind() + "/" + n.rule();
  }

  @Override
  public synchronized DeliveryOutcome deliver(AlertNotice notice) {
    try {
      MqttClient c = connected();
      MqttMessage message = new MqttMessage(NoticeJson.bytes(notice));
      message.setQos(1);
      message.setRetained(false);
      c.publish(topic(notice), message);
      return DeliveryOutcome.delivered();
    } catch (MqttException e) {
      disconnectQuietly();
      return DeliveryOutcome.retry(
          "MQTT "
              + e.getReasonCode()
              + ": "
              + e.getMessage()
              + " ("
              + io.kerbside.core.config.SafeUrl.of(settings.url())
              + ")");
    }
  }

  private MqttClient connected() throws MqttException {
    if (client != null && client.isConnected()) {
      return client;
    }
    disconnectQuietly();
    MqttClient c = new MqttClient(settings.url(), settings.clientId(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(Math.max(1, settings.timeoutMs() / 1000));
    options.setKeepAliveInterval(60);
    options.setHttpsHostnameVerificationEnabled(true);
    if (!settings.tls().isDefault()) {
      options.setSocketFactory(settings.tls().socketFactory());
    }
    if (!settings.username().isEmpty()) {
      options.setUserName(settings.username());
    }
    if (!settings.password().isEmpty()) {
      options.setPassword(settings.password().reveal().toCharArray());
    }
    c.setTimeToWait(settings.timeoutMs());
    try {
      c.connect(options);
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    client = c;
    return c;
  }

  private void disconnectQuietly() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(1_000, 1_000);
      }
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("{} - closing the MQTT client failed", settings.name(), e);
    }
    client = null;
  }

  @Override
  public synchronized void close() {
    disconnectQuietly();
  }

  @Override
  public String toString() {
    return "MqttChannel[" + settings + "]";
  }
}
