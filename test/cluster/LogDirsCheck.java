import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;

/**
 * What Kafka's own admin client reads from DescribeLogDirs, for the log-health test to compare with:
 * one line per broker log dir, "broker<TAB>path<TAB>totalBytes<TAB>usableBytes<TAB>cordoned" (-1 when not
 * reported; cordoned "-" where the client predates it: isCordoned() is Kafka 4.3+, found by reflection so one
 * source runs against the 3.9 jars too).
 *
 * Usage: java -cp 'kafka libs/*' LogDirsCheck.java BOOTSTRAP BROKER_ID...
 */
public class LogDirsCheck {
  static String cordoned(LogDirDescription d) throws Exception {
    try {
      return String.valueOf(LogDirDescription.class.getMethod("isCordoned").invoke(d));
    } catch (NoSuchMethodException e) {
      return "-";
    }
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    List<Integer> brokers = new java.util.ArrayList<>();
    for (int i = 1; i < args.length; i++) brokers.add(Integer.parseInt(args[i]));
    try (Admin admin = Admin.create(props)) {
      Map<Integer, Map<String, LogDirDescription>> all = admin.describeLogDirs(brokers).allDescriptions().get();
      for (var broker : all.entrySet()) {
        for (var dir : broker.getValue().entrySet()) {
          LogDirDescription d = dir.getValue();
          System.out.println(broker.getKey() + "\t" + dir.getKey() + "\t" + d.totalBytes().orElse(-1) + "\t"
              + d.usableBytes().orElse(-1) + "\t" + cordoned(d));
        }
      }
    }
  }
}
