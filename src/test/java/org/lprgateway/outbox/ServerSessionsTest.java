package org.lprgateway.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSessionsTest {

    @Test
    void a_new_server_session_moves_the_cutoff_to_its_arrival_once_after_the_delay() throws Exception {
        ServerSessions sessions = new ServerSessions();
        sessions.setResendDelayMillis(200);
        long before = System.currentTimeMillis();
        // nothing seen yet: only the grace counts, and only while the server is reachable
        assertThat(sessions.cutoff(30, false)).isZero();
        assertThat(sessions.cutoff(30, true)).isBetween(before - 30_000, System.currentTimeMillis() - 30_000);

        sessions.status("{\"status\":\"online\",\"session\":\"a\",\"timestamp\":\"2026-12-03T10:00:00Z\"}");
        long seen = System.currentTimeMillis();
        // not before its subscriptions had time to be made
        assertThat(sessions.cutoff(30, false)).isZero();
        Thread.sleep(250);
        long cutoff = sessions.cutoff(30, false);
        assertThat(cutoff).isBetween(seen - 50, seen + 50);
        assertThat(sessions.cause()).contains("new MQTT session a");
        // taken once
        assertThat(sessions.cutoff(30, false)).isZero();

        // the same session again (a reconnect of the edge, the retained message again): nothing
        sessions.status("{\"status\":\"online\",\"session\":\"a\"}");
        Thread.sleep(250);
        assertThat(sessions.cutoff(30, false)).isZero();
        // offline, junk and a message without session change nothing
        sessions.status("{\"status\":\"offline\"}");
        sessions.status("not json");
        sessions.status("online");
        Thread.sleep(250);
        assertThat(sessions.cutoff(30, false)).isZero();

        sessions.status("{\"status\":\"online\",\"session\":\"b\"}");
        Thread.sleep(250);
        assertThat(sessions.cutoff(30, true)).isGreaterThan(System.currentTimeMillis() - 1000);
        assertThat(sessions.cause()).contains("session b");
    }

    @Test
    void a_server_behind_on_its_backlog_makes_unconfirmed_rows_wait_twice_its_delay() {
        ServerSessions sessions = new ServerSessions();
        long now = System.currentTimeMillis();
        // confirmations 5 s late: the grace rules
        sessions.confirmed(now - 5_000);
        assertThat(sessions.cutoff(30, true)).isBetween(now - 30_100, System.currentTimeMillis() - 30_000);
        assertThat(sessions.cause()).isEqualTo("unconfirmed for 30 s");
        // 40 s late: a row goes again only after 80 s
        sessions.confirmed(now - 40_000);
        assertThat(sessions.confirmationLagMillis()).isBetween(40_000L, 41_000L);
        assertThat(sessions.cutoff(30, true)).isLessThanOrEqualTo(now - 80_000 + 1_000).isGreaterThan(now - 83_000);
        assertThat(sessions.cause()).contains("twice the server's current confirmation delay");
        // a second confirmation of a row no longer waiting changes nothing; a prompt one again does
        sessions.confirmed(null);
        assertThat(sessions.confirmationLagMillis()).isGreaterThanOrEqualTo(40_000L);
        sessions.confirmed(System.currentTimeMillis() - 100);
        assertThat(sessions.cutoff(30, true)).isGreaterThan(System.currentTimeMillis() - 31_000);
        // unreachable: nothing goes, whatever the delay
        assertThat(sessions.cutoff(30, false)).isZero();
    }
}
