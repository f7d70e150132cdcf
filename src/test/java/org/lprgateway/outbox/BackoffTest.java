package org.lprgateway.outbox;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private static Backoff backoff(long base, long max) {
        Backoff b = new Backoff();
        b.setBaseMillis(base);
        b.setMaxMillis(max);
        return b;
    }

    @Test
    void delay_stays_between_half_the_ceiling_and_the_ceiling() {
        Backoff b = backoff(1000, 300_000);
        for (int attempts = 0; attempts <= 12; attempts++) {
            long ceiling = Math.min(300_000, 1000L << attempts);
            for (int draw = 0; draw < 200; draw++) {
                assertThat(b.delayMillis(attempts)).as("attempts=%d", attempts)
                        .isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void delay_is_capped_at_max_for_many_attempts() {
        Backoff b = backoff(1000, 300_000);
        for (int attempts : new int[] {9, 20, 31, 64, 1000, Integer.MAX_VALUE}) {
            for (int draw = 0; draw < 200; draw++) {
                assertThat(b.delayMillis(attempts)).as("attempts=%d", attempts).isBetween(150_000L, 300_000L);
            }
        }
    }

    @Test
    void first_attempt_waits_between_half_base_and_base() {
        Backoff b = backoff(1000, 300_000);
        for (int draw = 0; draw < 200; draw++) {
            assertThat(b.delayMillis(0)).isBetween(500L, 1000L);
        }
    }

    @Test
    void jitter_varies_between_draws() {
        Backoff b = backoff(1000, 300_000);
        Set<Long> delays = new HashSet<>();
        for (int draw = 0; draw < 100; draw++) {
            delays.add(b.delayMillis(5));
        }
        assertThat(delays).hasSizeGreaterThan(10);
    }
}
