package org.lprgateway.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransportStatesTest {

    @Test
    void an_outage_is_counted_from_its_first_failure_and_its_end_releases_each_table_once() {
        TransportStates states = new TransportStates();
        assertThat(states.summary()).isEqualTo("transports up");
        assertThat(states.takeRecovery("outbox_detections")).isFalse();

        states.failed("mqtt", "Client is not connected (32104)");
        states.failed("mqtt", "Client is not connected (32104)");
        states.failed("mqtt", "timeout");
        assertThat(states.isDown("mqtt")).isTrue();
        assertThat(states.isDown("rest")).isFalse();
        assertThat(states.summary()).startsWith("down: mqtt ").endsWith("(3 failed)");
        // another transport sending is no recovery of mqtt
        states.sent("rest", System.nanoTime());
        assertThat(states.takeRecovery("outbox_detections")).isFalse();

        states.sent("mqtt", System.nanoTime());
        assertThat(states.isDown("mqtt")).isFalse();
        assertThat(states.summary()).isEqualTo("transports up");
        assertThat(states.takeRecovery("outbox_detections")).isTrue();
        assertThat(states.takeRecovery("outbox_detections")).isFalse();
        assertThat(states.takeRecovery("outbox_health")).isTrue();
        assertThat(states.takeRecovery("outbox_health")).isFalse();
    }

    @Test
    void a_send_that_was_in_flight_when_the_transport_went_down_does_not_end_the_outage() {
        TransportStates states = new TransportStates();
        long inFlight = System.nanoTime();
        states.failed("mqtt", "Client is not connected (32104)");
        // its publish completes after the first failure: the connection is still down
        states.sent("mqtt", inFlight);
        assertThat(states.isDown("mqtt")).isTrue();
        assertThat(states.takeRecovery("outbox_detections")).isFalse();
        // a send made during the outage that succeeds ends it
        states.sent("mqtt", System.nanoTime());
        assertThat(states.isDown("mqtt")).isFalse();
        assertThat(states.takeRecovery("outbox_detections")).isTrue();
    }

    @Test
    void the_probe_finding_the_server_again_releases_the_tables() {
        TransportStates states = new TransportStates();
        states.probed(true);
        assertThat(states.takeRecovery("outbox_detections")).isFalse();
        states.probed(false);
        states.probed(false);
        assertThat(states.takeRecovery("outbox_detections")).isFalse();
        states.probed(true);
        assertThat(states.takeRecovery("outbox_detections")).isTrue();
        states.probed(true);
        assertThat(states.takeRecovery("outbox_detections")).isFalse();
    }
}
