package io.kerbside.bench.process;

import java.util.Optional;

/**
 * The processes of the PostgreSQL cluster that serves the run's database, when it runs on this
 * machine: the postmaster (the parent of any backend) and its children. Their CPU covers every
 * database of the cluster, including work of other users of a shared cluster.
 */
public final class PostgresCluster {
  private final long postmasterPid;

  private PostgresCluster(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  /**
   * The cluster of the backend with process id {@code backendPid} ({@code pg_backend_pid()}), or
   * empty when that process is not a PostgreSQL backend visible here (a remote server, or one in
   * another PID namespace such as a container).
   */
  public static Optional<PostgresCluster> ofBackend(long backendPid) {
    long parent = ProcStats.parentPid(backendPid);
    if (parent <= 1
        || !ProcStats.commandLine(backendPid).contains("postgres")
        || !ProcStats.commandLine(parent).contains("postgres")) {
      return Optional.empty();
    }
    return Optional.of(new PostgresCluster(parent));
  }

  public long postmasterPid() {
    return postmasterPid;
  }

  /**
   * CPU ticks used so far by the postmaster and its children, ended ones included; see {@link
   * ProcStats#processTreeTicks}. -1 when unreadable.
   */
  public long cpuTicks() {
    return ProcStats.processTreeTicks(postmasterPid);
  }
}
