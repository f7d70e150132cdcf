package org.lprgateway.mqtt;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiPredicate;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultConsumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * A route's subscription on a shared {@link MqttConnection}. Messages are processed one at a time,
 * in arrival order, on the consumer's own thread, and acknowledged to the broker afterwards; with
 * {@code manualAcksEnabled} a failed exchange is not acknowledged and the broker sends the message
 * again after the next reconnection. The headers are those of Camel's paho-mqtt5 consumer.
 */
public class MqttSubscriptionConsumer extends DefaultConsumer {

    private final MqttConnection connection;
    private final String filter;
    private final int qos;
    private final boolean acknowledgeOnlySuccess;
    private final BiPredicate<String, MqttMessage> authentic;
    private ExecutorService executor;

    /** A route's subscription; {@code authentic} says whether a message may reach the route (else it is acknowledged and dropped). */
    public MqttSubscriptionConsumer(Endpoint endpoint, Processor processor, MqttConnection connection, String filter,
            int qos, boolean acknowledgeOnlySuccess, BiPredicate<String, MqttMessage> authentic) {
        super(endpoint, processor);
        this.authentic = authentic;
        this.connection = connection;
        this.filter = filter;
        this.qos = qos;
        this.acknowledgeOnlySuccess = acknowledgeOnlySuccess;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "MqttSubscription[" + filter + "]");
        connection.subscribe(filter, qos, this::offer);
    }

    @Override
    protected void doStop() throws Exception {
        // a route stopped at run time leaves the subscription; a shutdown keeps it in the persistent
        // session so that the broker keeps what arrives meanwhile
        connection.unsubscribe(filter, !getEndpoint().getCamelContext().isStopping());
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private boolean offer(MqttConnection.Delivery delivery) {
        ExecutorService e = executor;
        if (e == null) {
            return false;
        }
        try {
            e.execute(() -> process(delivery));
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    private void process(MqttConnection.Delivery delivery) {
        if (!authentic.test(delivery.topic(), delivery.message())) {
            delivery.acknowledge();
            return;
        }
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(delivery.message().getPayload());
        exchange.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, delivery.topic());
        exchange.getIn().setHeader(PahoMqtt5Constants.MQTT_QOS, delivery.message().getQos());
        exchange.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, delivery.message().getProperties());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            getExceptionHandler().handleException("message on " + delivery.topic() + " failed", exchange, failure);
        }
        if (failure == null || !acknowledgeOnlySuccess) {
            delivery.acknowledge();
        }
        releaseExchange(exchange, false);
    }
}
