import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One instance of a Kafka Streams application in a streams group (KIP-1071, `group.protocol=streams`,
 * Kafka 4.x): a stateless copy from one topic to another, so one subtopology with a task per partition
 * and no internal topics. Prints "STATE <state>" lines; closes cleanly (leaving the group) on SIGTERM.
 *
 * Usage: StreamsApp BOOTSTRAP APPLICATION_ID INPUT OUTPUT CLIENT_ID STATE_DIR
 */
public class StreamsApp {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    props.put(StreamsConfig.CLIENT_ID_CONFIG, args[4]);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
    props.put("group.protocol", "streams");
    // Committed within a second of what it copied (the default is 30 s), so a test waits on its lag briefly.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(args[2]).to(args[3]);
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.setStateListener((now, before) -> System.out.println("STATE " + now));
    Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
    streams.start();
    Thread.currentThread().join();
  }
}
