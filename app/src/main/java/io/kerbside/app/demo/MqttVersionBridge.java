package io.kerbside.app.demo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo broker's front door: accepts MQTT 3.1, 3.1.1 and 5 clients and relays each connection to
 * Moquette, which speaks 3.1 and 3.1.1 only. MQTT 3 connections pass through unchanged; an MQTT 5
 * connection is relayed as MQTT 3.1.1 (its properties are dropped on the way in, and the broker's
 * answers are given the form MQTT 5 requires on the way out).
 *
 * <p>What an MQTT 5 client gets: publish and subscribe at QoS 0, 1 and 2, retained messages, wills,
 * and a client id assigned by the broker (returned in the CONNACK) when it sends none. What it does
 * not: shared subscriptions, subscription identifiers, topic aliases, message expiry and the other
 * MQTT 5 properties, enhanced authentication. Clean start maps to clean session; a session with an
 * expiry interval of 0 is not kept. This is enough for the demo's tools ({@code mosquitto_pub -V
 * mqttv5}, MQTT 5 client libraries), not a general MQTT 5 broker.
 *
 * <p>Each client connection and its broker connection share one event loop thread.
 */
final class MqttVersionBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttVersionBridge.class);

  private final EventLoopGroup group;
  private final Channel server;
  private final int port;

  private MqttVersionBridge(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
    this.port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Listens on {@code host:port} and relays to the MQTT 3.1.1 broker at {@code broker}.
   *
   * @param port 0 picks a free one ({@link #port()} names it)
   * @param maxMessageBytes the largest MQTT packet accepted from a client or the broker
   * @throws IOException when the address cannot be bound
   */
  static MqttVersionBridge start(
      String host, int port, InetSocketAddress broker, int maxMessageBytes) throws IOException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("decoder", new MqttDecoder(maxMessageBytes))
                        .addLast("encoder", MqttEncoder.INSTANCE)
                        .addLast("client", new ClientSide(broker, maxMessageBytes));
                  }
                });
    ChannelFuture bound = bootstrap.bind(host, port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully();
      throw new IOException(
          "the demo MQTT broker cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    return new MqttVersionBridge(group, bound.channel());
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully().awaitUninterruptibly();
  }

  /** MQTT 3.1.1 CONNACK return codes as MQTT 5 reason codes. */
  static MqttConnectReturnCode asMqtt5(MqttConnectReturnCode code) {
    return switch (code) {
      case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
          MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
      case CONNECTION_REFUSED_IDENTIFIER_REJECTED ->
          MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
      case CONNECTION_REFUSED_SERVER_UNAVAILABLE ->
          MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
      case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
          MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
      case CONNECTION_REFUSED_NOT_AUTHORIZED ->
          MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
      default -> code;
    };
  }

  /** One client's connection; opens the broker connection when the client's CONNECT arrives. */
  private static final class ClientSide extends ChannelInboundHandlerAdapter {
    private final InetSocketAddress brokerAddress;
    private final int maxMessageBytes;
    private final Map<Integer, Integer> unsubscribedTopics = new HashMap<>();
    private Channel broker;
    private MqttVersion version;
    private String assignedClientId;

    ClientSide(InetSocketAddress brokerAddress, int maxMessageBytes) {
      this.brokerAddress = brokerAddress;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      MqttMessage m = (MqttMessage) msg;
      if (m.decoderResult().isFailure()) {
        LOG.debug(
            "demo broker - closing {}: {}",
            ctx.channel().remoteAddress(),
            m.decoderResult().cause().getMessage());
        ReferenceCountUtil.release(m);
        closeBoth(ctx.channel());
        return;
      }
      MqttMessageType type = m.fixedHeader().messageType();
      if (version == null) {
        if (type != MqttMessageType.CONNECT) {
          ReferenceCountUtil.release(m);
          ctx.close();
          return;
        }
        connect(ctx.channel(), (MqttConnectMessage) m);
        return;
      }
      if (version == MqttVersion.MQTT_5) {
        if (type == MqttMessageType.AUTH) {
          ReferenceCountUtil.release(m);
          closeBoth(ctx.channel());
          return;
        }
        if (type == MqttMessageType.UNSUBSCRIBE) {
          MqttUnsubscribeMessage u = (MqttUnsubscribeMessage) m;
          unsubscribedTopics.put(u.variableHeader().messageId(), u.payload().topics().size());
        }
      }
      // The broker channel's encoder writes MQTT 3.1.1: v5 properties and options are left out.
      broker.write(m);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (broker != null) {
        broker.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (broker != null) {
        broker.config().setAutoRead(ctx.channel().isWritable());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (broker != null) {
        broker.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("demo broker - connection from {} failed", ctx.channel().remoteAddress(), cause);
      closeBoth(ctx.channel());
    }

    private void closeBoth(Channel client) {
      client.close();
      if (broker != null) {
        broker.close();
      }
    }

    private void connect(Channel client, MqttConnectMessage connect) {
      MqttConnectVariableHeader h = connect.variableHeader();
      version = MqttVersion.fromProtocolNameAndLevel(h.name(), (byte) h.version());
      MqttConnectMessage relayed = version == MqttVersion.MQTT_5 ? asMqtt311(connect) : connect;
      client.config().setAutoRead(false);
      new Bootstrap()
          .group(client.eventLoop())
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(
              new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                  ch.pipeline()
                      .addLast("decoder", new MqttDecoder(maxMessageBytes))
                      .addLast("encoder", MqttEncoder.INSTANCE)
                      .addLast("broker", new BrokerSide(client, ClientSide.this));
                }
              })
          .connect(brokerAddress)
          .addListener(
              (ChannelFuture f) -> {
                if (!f.isSuccess()) {
                  LOG.warn("demo broker - cannot reach the broker at {}", brokerAddress, f.cause());
                  client.close();
                  return;
                }
                broker = f.channel();
                if (!client.isActive()) {
                  broker.close();
                  return;
                }
                broker.writeAndFlush(relayed);
                client.config().setAutoRead(true);
              });
    }

    /**
     * The CONNECT of an MQTT 5 client as MQTT 3.1.1; an empty client id is replaced by one the
     * broker assigns, since an MQTT 5 client learns it from the CONNACK.
     */
    private MqttConnectMessage asMqtt311(MqttConnectMessage connect) {
      MqttConnectVariableHeader h = connect.variableHeader();
      MqttConnectPayload p = connect.payload();
      String clientId = p.clientIdentifier();
      if (clientId == null || clientId.isEmpty()) {
        assignedClientId = "auto-" + UUID.randomUUID();
        clientId = assignedClientId;
      }
      Object expiry = h.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
      boolean sessionEndsOnDisconnect =
          expiry == null
              || ((MqttProperties.IntegerProperty) expiry).value() == 0
              || assignedClientId != null;
      return new MqttConnectMessage(
          connect.fixedHeader(),
          new MqttConnectVariableHeader(
              MqttVersion.MQTT_3_1_1.protocolName(),
              MqttVersion.MQTT_3_1_1.protocolLevel(),
              h.hasUserName(),
              h.hasPassword(),
              h.isWillRetain(),
              h.willQos(),
              h.isWillFlag(),
              h.isCleanSession() || sessionEndsOnDisconnect,
              h.keepAliveTimeSeconds()),
          new MqttConnectPayload(
              clientId, p.willTopic(), p.willMessageInBytes(), p.userName(), p.passwordInBytes()));
    }

    /** A message from the broker in the form the client's protocol version requires. */
    MqttMessage toClient(MqttMessage m) {
      if (version != MqttVersion.MQTT_5) {
        return m;
      }
      return switch (m.fixedHeader().messageType()) {
        case CONNACK -> {
          MqttConnAckVariableHeader h = ((MqttConnAckMessage) m).variableHeader();
          MqttProperties props = new MqttProperties();
          if (assignedClientId != null) {
            props.add(
                new MqttProperties.StringProperty(
                    MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assignedClientId));
          }
          props.add(
              new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
          props.add(
              new MqttProperties.IntegerProperty(
                  MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
          yield new MqttConnAckMessage(
              m.fixedHeader(),
              new MqttConnAckVariableHeader(
                  asMqtt5(h.connectReturnCode()), h.isSessionPresent(), props));
        }
        case UNSUBACK -> {
          int id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
          int topics = unsubscribedTopics.getOrDefault(id, 1);
          unsubscribedTopics.remove(id);
          short[] success = new short[topics];
          yield new MqttUnsubAckMessage(
              new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
              new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES),
              new MqttUnsubAckPayload(success));
        }
        default -> m;
      };
    }
  }

  /** The broker connection of one client; hands the broker's messages to the client. */
  private static final class BrokerSide extends ChannelInboundHandlerAdapter {
    private final Channel client;
    private final ClientSide clientSide;

    BrokerSide(Channel client, ClientSide clientSide) {
      this.client = client;
      this.clientSide = clientSide;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      MqttMessage m = (MqttMessage) msg;
      if (m.decoderResult().isFailure()) {
        LOG.warn(
            "demo broker - unreadable packet from the broker: {}",
            m.decoderResult().cause().getMessage());
        ReferenceCountUtil.release(m);
        ctx.close();
        client.close();
        return;
      }
      client.write(clientSide.toClient(m));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      client.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      client.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("demo broker - broker connection of {} failed", client.remoteAddress(), cause);
      ctx.close();
      client.close();
    }
  }
}
