package io.kerbside.api;

import java.util.List;

/**
 * What a module contributes to the REST API: its operations, and the database privileges its
 * handlers need. A process whose database login lacks one of them does not serve the module's
 * operations: they answer 503 naming {@link #servedByRole()}.
 */
public interface ApiRoutes {
  /**
   * A short name, shown by {@code /ready} and in a 503's body: {@code registry}, {@code alerts}.
   */
  String name();

  /**
   * The job of the group role whose members' logins serve these routes, e.g. {@code reader}: the
   * role is {@code <KERBSIDE_DB_ROLE_PREFIX>_reader}.
   */
  String servingJob();

  /** Every privilege the handlers use, e.g. {@code new TablePrivilege("alert", "UPDATE")}. */
  List<TablePrivilege> privileges();

  /** Adds the operations; called once, while the router is built. */
  void addTo(Endpoints endpoints);

  /**
   * A privilege on a table of Kerbside's schema.
   *
   * @param table the table's name, unqualified (the connection's search path finds it)
   * @param privilege {@code SELECT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
   */
  record TablePrivilege(String table, String privilege) {
    @Override
    public String toString() {
      return privilege + " on " + table;
    }
  }
}
