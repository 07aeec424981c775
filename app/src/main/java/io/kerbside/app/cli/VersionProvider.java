package io.kerbside.app.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = KerbsideCli.class.getPackage().getImplementationVersion();
    return new String[] {"kerbside " + (v == null ? "development build" : v)};
  }
}
