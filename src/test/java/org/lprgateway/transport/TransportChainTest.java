package org.lprgateway.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransportChainTest {

    private final TransportChain chain = new TransportChain();

    @Test
    void walks_a_chain_to_its_end() {
        assertThat(chain.next("websocket, rest,mqtt", null)).isEqualTo("websocket");
        assertThat(chain.next("websocket, rest,mqtt", "websocket")).isEqualTo("rest");
        assertThat(chain.next("websocket, rest,mqtt", "mqtt")).isNull();
        assertThat(chain.next("", null)).isNull();
    }

    @Test
    void drops_one_transport_from_a_chain() {
        assertThat(chain.without("rsync, sftp", "rsync")).isEqualTo("sftp");
        assertThat(chain.without("sftp,rsync", "rsync")).isEqualTo("sftp");
        assertThat(chain.without("rsync", "rsync")).isEmpty();
        assertThat(chain.without(null, "rsync")).isEmpty();
    }
}
