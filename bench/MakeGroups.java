import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Leaves groups of the Kafka 4 types on a cluster for the request-count benchmark: each is joined by one
 * member that reads once (a consumer-protocol member also commits) and leaves, so the group stays,
 * Empty, with its offsets, as a deployed-then-scaled-down group does.
 *
 * Usage: MakeGroups BOOTSTRAP TOPIC PREFIX CONSUMER_GROUPS SHARE_GROUPS STREAMS_GROUPS STREAMS_OUTPUT
 * Prints "MADE <type> <count>" per type.
 */
public class MakeGroups {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1], prefix = args[2], output = args[6];
    int consumers = Integer.parseInt(args[3]), shares = Integer.parseInt(args[4]);
    int streams = Integer.parseInt(args[5]);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    run(pool, consumers, i -> consumer(bootstrap, topic, prefix + "-consumer-" + i));
    System.out.println("MADE consumer " + consumers);
    run(pool, shares, i -> share(bootstrap, topic, prefix + "-share-" + i));
    System.out.println("MADE share " + shares);
    run(pool, streams, i -> streams(bootstrap, topic, output, prefix + "-streams-" + i));
    System.out.println("MADE streams " + streams);
    pool.shutdown();
  }

  interface Job {
    void run(int i) throws Exception;
  }

  static void run(ExecutorService pool, int count, Job job) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(pool.submit(() -> {
        job.run(n);
        return null;
      }));
    }
    for (Future<?> f : futures) f.get();
  }

  static Properties base(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  static void consumer(String bootstrap, String topic, String group) {
    Properties p = base(bootstrap, group);
    p.put("group.protocol", "consumer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 60_000;
      while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) c.poll(Duration.ofMillis(200));
      c.commitSync();
    }
  }

  static void share(String bootstrap, String topic, String group) {
    try (KafkaShareConsumer<byte[], byte[]> c = new KafkaShareConsumer<>(base(bootstrap, group))) {
      c.subscribe(List.of(topic));
      // A share group starts at the latest offset (share.auto.offset.reset): nothing to read, only to join.
      long deadline = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < deadline) c.poll(Duration.ofMillis(500));
    }
  }

  static void streams(String bootstrap, String topic, String output, String group) throws Exception {
    Properties p = new Properties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, group);
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("make-groups").toString());
    p.put("group.protocol", "streams");
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topic).to(output);
    KafkaStreams app = new KafkaStreams(builder.build(), p);
    app.start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (app.state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(100);
    Thread.sleep(2000);
    app.close(Duration.ofSeconds(10));
  }
}
