package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.access.MosquittoAccess;
import io.kerbside.registry.store.AssetFilter;
import io.kerbside.registry.store.AssetRepository;
import io.kerbside.registry.store.DeviceInfo;
import io.kerbside.registry.store.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Sets up the MQTT broker's access for Kerbside and the councils' devices.",
    subcommands = {BrokerCommand.Acl.class})
final class BrokerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "acl",
      mixinStandardHelpOptions = true,
      description = {
        "Writes a Mosquitto password file and ACL: Kerbside's login (KERBSIDE_MQTT_USERNAME,",
        "KERBSIDE_MQTT_PASSWORD) may only subscribe to KERBSIDE_INGEST_SUBSCRIPTIONS' filters;",
        "each registered device of the councils may only publish to its own topic under its",
        "council's native filters. Devices already in the password file keep their password",
        "(--rotate gives every one a new one); new passwords are written once to --credentials.",
        "Use with allow_anonymous false (docs/deployment.md)."
      })
  static final class Acl implements Callable<Integer> {
    @Option(
        names = "--council",
        required = true,
        paramLabel = "SLUG",
        description = "A council whose devices get access; repeat for several")
    List<String> councils;

    @Option(
        names = "--password-file",
        defaultValue = "mosquitto.passwd",
        description = "Mosquitto password file to write (read first). Default: ${DEFAULT-VALUE}")
    Path passwordFile;

    @Option(
        names = "--acl-file",
        defaultValue = "mosquitto.acl",
        description = "Mosquitto ACL file to write. Default: ${DEFAULT-VALUE}")
    Path aclFile;

    @Option(
        names = "--credentials",
        defaultValue = "device-credentials.csv",
        description =
            "Where the new device passwords go (device_id,password), readable by the owner only."
                + " Default: ${DEFAULT-VALUE}")
    Path credentials;

    @Option(names = "--rotate", description = "Give every device a new password")
    boolean rotate;

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.fromEnvironment();
      IngestConfig ingest = IngestConfig.from(settings);
      DatabaseConfig db = DatabaseConfig.from(settings);
      String existing =
          Files.exists(passwordFile) ? Files.readString(passwordFile, StandardCharsets.UTF_8) : "";
      MosquittoAccess access;
      try {
        access =
            new MosquittoAccess(
                ingest.mqttUsername(),
                ingest.mqttPassword().reveal(),
                ingest.subscriptions(),
                existing,
                rotate);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
      try (HikariDataSource ds = DataSources.open(db, "admin", null)) {
        Councils known = new Councils(ds);
        AssetRepository assets = new AssetRepository(ds);
        for (String slug : councils) {
          CouncilRef council =
              known.find(slug).orElseThrow(() -> new ConfigException("no council '" + slug + "'"));
          List<MosquittoAccess.Device> devices = devices(assets, council);
          int added;
          try {
            added = access.addCouncil(slug, devices);
          } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
          }
          System.err.printf(
              "council %s: %d of %d devices may publish to their own topic%n",
              slug, added, devices.size());
        }
      }
      writePrivate(passwordFile, access.passwordFile());
      writePrivate(aclFile, access.aclFile());
      if (access.newPasswordCount() > 0) {
        writePrivate(credentials, access.newCredentialsCsv());
        System.err.printf(
            "%d new device password(s) in %s: give each to its device, then delete the file%n",
            access.newPasswordCount(), credentials);
      }
      System.err.printf("wrote %s and %s%n", passwordFile, aclFile);
      return 0;
    }

    private static List<MosquittoAccess.Device> devices(AssetRepository assets, CouncilRef council)
        throws java.sql.SQLException {
      List<MosquittoAccess.Device> all = new ArrayList<>();
      int offset = 0;
      while (true) {
        Page<DeviceInfo> page = assets.devices(council, AssetFilter.none(), 1000, offset);
        page.items().forEach(d -> all.add(new MosquittoAccess.Device(d.deviceId(), d.kind())));
        offset += page.items().size();
        if (page.items().isEmpty() || offset >= page.total()) {
          return all;
        }
      }
    }

    /** Writes {@code text} readable by the owner only, replacing the file at once. */
    private static void writePrivate(Path file, String text) throws IOException {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, ".kerbside-", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
