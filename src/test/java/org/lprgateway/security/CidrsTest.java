package org.lprgateway.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrsTest {

    @Test
    void blocks_match_their_addresses_only() {
        Cidrs c = new Cidrs("127.0.0.0/8, 10.1.0.0/16,192.168.1.7,::1/128");
        assertThat(c.contains("127.0.0.1")).isTrue();
        assertThat(c.contains("127.255.0.9")).isTrue();
        assertThat(c.contains("10.1.200.3")).isTrue();
        assertThat(c.contains("10.2.0.1")).isFalse();
        assertThat(c.contains("192.168.1.7")).isTrue();
        assertThat(c.contains("192.168.1.8")).isFalse();
        assertThat(c.contains("::1")).isTrue();
        assertThat(c.contains("::2")).isFalse();
        // dual-stack listeners see IPv4 clients as mapped addresses
        assertThat(c.contains("::ffff:127.0.0.1")).isTrue();
        assertThat(c.contains("::ffff:8.8.8.8")).isFalse();
    }

    @Test
    void names_are_never_looked_up_and_bad_blocks_are_named() {
        assertThat(new Cidrs("0.0.0.0/0").contains("localhost")).isFalse();
        assertThat(new Cidrs("0.0.0.0/0").contains(null)).isFalse();
        assertThat(new Cidrs("").contains("127.0.0.1")).isFalse();
        assertThatThrownBy(() -> new Cidrs("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> new Cidrs("example.com/8")).hasMessageContaining("example.com/8");
    }

    @Test
    void uneven_prefixes_compare_the_leading_bits() {
        Cidrs c = new Cidrs("172.16.0.0/12");
        assertThat(c.contains("172.31.255.255")).isTrue();
        assertThat(c.contains("172.32.0.0")).isFalse();
        assertThat(c.contains("172.15.255.255")).isFalse();
    }
}
