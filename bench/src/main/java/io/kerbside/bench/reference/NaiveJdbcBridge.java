package io.kerbside.bench.reference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kerbside.bench.mqtt.PahoSubscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference (b): the bridge most people write first. A Paho subscriber (QoS 1, automatic
 * acknowledgements, clean session) that, inside {@code messageArrived}, inserts one row per message
 * with autocommit over one plain JDBC connection: {@code INSERT INTO bench_naive(device, ts,
 * payload) VALUES (?, ?, ?::jsonb)}. The table has no key or index, which makes each insert as
 * cheap as it can be; the cost that remains is one round trip and one commit per message.
 *
 * <p>Not a pattern to follow: it blocks Paho's callback thread on the database and acknowledges
 * messages it may not have stored.
 */
public final class NaiveJdbcBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NaiveJdbcBridge.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Connection db;
  private final PreparedStatement insert;
  private final ArrivalCounter stored = new ArrivalCounter();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  private PahoSubscription subscription;

  private NaiveJdbcBridge(Connection db, PreparedStatement insert) {
    this.db = db;
    this.insert = insert;
  }

  /**
   * Creates table {@code bench_naive} over {@code db} (which the bridge then owns and closes),
   * connects and subscribes; returns once the broker has confirmed the subscription.
   */
  public static NaiveJdbcBridge start(
      String mqttUrl, String clientId, String topicFilter, Connection db)
      throws MqttException, SQLException {
    db.setAutoCommit(true);
    try (Statement st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bench_naive");
      st.execute(
          "CREATE TABLE bench_naive (device text NOT NULL, ts timestamptz NOT NULL,"
              + " payload jsonb NOT NULL)");
    }
    PreparedStatement insert =
        db.prepareStatement("INSERT INTO bench_naive(device, ts, payload) VALUES (?,?,?::jsonb)");
    NaiveJdbcBridge bridge = new NaiveJdbcBridge(db, insert);
    try {
      bridge.subscription =
          ReferenceSubscriptions.open(
              mqttUrl,
              clientId,
              topicFilter,
              bridge::store,
              cause -> LOG.warn("naive bridge - connection lost: {}", String.valueOf(cause)));
    } catch (MqttException e) {
      bridge.close();
      throw e;
    }
    return bridge;
  }

  /** Runs on Paho's callback thread: the insert blocks it, which is the point of this reference. */
  private void store(String topic, MqttMessage message) {
    try {
      String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
      insert.setString(1, topic.substring(topic.lastIndexOf('/') + 1));
      insert.setObject(2, timestamp(payload));
      insert.setString(3, payload);
      insert.executeUpdate();
      stored.record();
    } catch (SQLException | IOException | RuntimeException e) {
      failed.incrementAndGet();
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("naive bridge - a message was not stored (further failures only counted)", e);
      }
    }
  }

  /** The payload's {@code ts} (ISO-8601 or epoch milliseconds), or now when it has none. */
  private static OffsetDateTime timestamp(String payload) throws IOException {
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("payload is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("ts")) {
          p.skipChildren();
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
          return OffsetDateTime.ofInstant(Instant.ofEpochMilli(p.getLongValue()), ZoneOffset.UTC);
        } else {
          return OffsetDateTime.parse(p.getText());
        }
      }
    }
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** The rows inserted so far, and when the latest was committed. */
  public ArrivalCounter stored() {
    return stored;
  }

  /** Messages whose insert failed. */
  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
    try {
      insert.close();
      db.close();
    } catch (SQLException e) {
      LOG.debug("naive bridge - closing the connection: {}", e.getMessage());
    }
  }
}
