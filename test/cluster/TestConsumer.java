import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One consumer-group member for the test cluster, with what kafkajs lacks: every assignor
 * (cooperative-sticky included) and the KIP-848 "consumer" group protocol on Kafka 4.x.
 *
 * Usage: TestConsumer --bootstrap H:P,.. --group G --topics a,b [--client-id C]
 *          [--assignor range|roundrobin|sticky|cooperative-sticky] [--protocol classic|consumer]
 *          [--delay-ms N] [--max-poll-records N] [--session-timeout-ms N] [--instance-id ID]
 *
 * Commits synchronously after each processed batch. On SIGTERM it finishes the record in hand,
 * commits and leaves the group (a graceful stop); SIGKILL is the crash. Lines starting with
 * "ASSIGNED" / "REVOKED" / "STOPPED" on stdout let the test side follow its state.
 */
public class TestConsumer {
  private static final Map<String, String> ASSIGNORS = Map.of(
      "range", "org.apache.kafka.clients.consumer.RangeAssignor",
      "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
      "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
      "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + argv[i]);
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    String protocol = args.getOrDefault("protocol", "classic");
    long delayMs = Long.parseLong(args.getOrDefault("delay-ms", "0"));
    List<String> topics = Arrays.asList(required(args, "topics").split(","));

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, required(args, "bootstrap"));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, required(args, "group"));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, args.getOrDefault("client-id", "test-consumer"));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, args.getOrDefault("max-poll-records", "50"));
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    if (args.containsKey("instance-id")) props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, args.get("instance-id"));
    if (protocol.equals("consumer")) {
      // KIP-848: the broker assigns; client-side assignor and session timeout are not allowed.
      props.put("group.protocol", "consumer");
    } else {
      String assignor = args.getOrDefault("assignor", "range");
      if (!ASSIGNORS.containsKey(assignor)) throw new IllegalArgumentException("unknown assignor " + assignor);
      props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ASSIGNORS.get(assignor));
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, args.getOrDefault("session-timeout-ms", "10000"));
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    }

    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    Thread mainThread = Thread.currentThread();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      consumer.wakeup();
      try {
        finished.await();
        mainThread.join(30_000);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }));

    long consumed = 0;
    try {
      consumer.subscribe(topics, new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) commit(consumer);
          say("REVOKED " + partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          say("ASSIGNED " + partitions);
        }
      });
      while (true) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> ignored : records) {
          if (delayMs > 0) Thread.sleep(delayMs);
          consumed++;
        }
        if (!records.isEmpty()) commit(consumer);
      }
    } catch (WakeupException stopping) {
      // SIGTERM: fall through to the final commit.
    } finally {
      commit(consumer);
      consumer.close();
      say("STOPPED consumed=" + consumed);
      finished.countDown();
    }
  }

  /**
   * Commits what was consumed. A commit refused because the group is rebalancing is not fatal:
   * the next poll finishes the rebalance and the records come again or are committed later.
   */
  private static void commit(KafkaConsumer<byte[], byte[]> consumer) {
    try {
      consumer.commitSync();
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      say("COMMIT-FAILED " + e);
    }
  }

  private static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null) throw new IllegalArgumentException("--" + name + " is required");
    return value;
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
