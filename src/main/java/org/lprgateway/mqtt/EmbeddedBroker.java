package org.lprgateway.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker inside the gateway's JVM (HiveMQ Community Edition, embedded) so that the
 * all-in-one demo exercises MQTT with nothing installed. Anonymous, plain TCP: for the demo on
 * one machine only. Real deployments use a real broker (Mosquitto) and leave this disabled.
 */
public class EmbeddedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private boolean enabled;
    private String host = "127.0.0.1";
    private int port = 1883;
    private String dataDir;
    private EmbeddedHiveMQ hivemq;

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    /** Folder for the broker's sessions and queues; empty keeps them in memory. */
    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public void start() throws Exception {
        if (!enabled) {
            return;
        }
        boolean persistent = dataDir != null && !dataDir.isBlank();
        Path base = persistent ? Files.createDirectories(Path.of(dataDir).toAbsolutePath())
                : Files.createTempDirectory("lpr-gateway-broker");
        Path conf = Files.createDirectories(base.resolve("conf"));
        Path extensions = Files.createDirectories(base.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <hivemq>
                  <listeners><tcp-listener><port>%d</port><bind-address>%s</bind-address></tcp-listener></listeners>
                  <persistence><mode>%s</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, host, persistent ? "file" : "in-memory"));
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(base.resolve("data")))
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        LOG.info("Embedded MQTT 5 broker listening on {}:{} ({})", host, port, persistent ? "data in " + base : "in memory");
    }

    public void stop() throws Exception {
        if (hivemq != null) {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
            hivemq = null;
        }
    }
}
