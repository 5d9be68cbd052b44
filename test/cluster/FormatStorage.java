/**
 * Formats the KRaft storage of several nodes in one JVM (one JVM start instead of one per node).
 * Usage: FormatStorage CLUSTER_ID server.properties...
 */
public class FormatStorage {
  public static void main(String[] args) {
    for (int i = 1; i < args.length; i++) {
      String[] format = {"format", "-t", args[0], "-c", args[i]};
      int exitCode;
      try {
        exitCode = kafka.tools.StorageTool.execute(format, System.out);
      } catch (Exception e) {
        System.err.println("formatting " + args[i] + " failed: " + e);
        exitCode = 1;
      }
      if (exitCode != 0) System.exit(exitCode);
    }
  }
}
