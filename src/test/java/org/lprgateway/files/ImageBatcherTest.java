package org.lprgateway.files;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageBatcherTest {

    private final ImageBatcher batcher = new ImageBatcher();

    {
        org.lprgateway.outbox.Backoff backoff = new org.lprgateway.outbox.Backoff();
        backoff.setBaseMillis(1000);
        backoff.setMaxMillis(60_000);
        batcher.setBackoff(backoff);
    }
    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange row(long id, String chain, long size) {
        Exchange e = new DefaultExchange(context);
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("message_id", "m" + id);
        row.put("image_size", size);
        e.getIn().setBody(row);
        e.setProperty("fileChain", chain);
        return e;
    }

    @SuppressWarnings("unchecked")
    private List<ImageBatch> group(Exchange... rows) {
        Exchange result = null;
        for (Exchange r : rows) {
            result = batcher.aggregate(result, r);
        }
        return result.getIn().getBody(List.class);
    }

    @Test
    void images_are_grouped_by_chain_in_order() {
        List<ImageBatch> batches = group(row(1, "sftp,rsync", 10), row(2, "rsync,sftp", 20), row(3, "sftp,rsync", 30));
        assertThat(batches).extracting(ImageBatch::getChain).containsExactly("sftp,rsync", "rsync,sftp");
        assertThat(batches.get(0).getRows()).extracting(r -> r.get("id")).containsExactly(1L, 3L);
    }

    @Test
    void the_chain_is_walked_only_while_images_remain_and_outcomes_become_rows() {
        ImageBatch batch = group(row(1, "sftp,rsync", 10), row(2, "sftp,rsync", 20), row(3, "sftp,rsync", 30)).get(0);
        assertThat(batcher.next(batch, null)).isEqualTo("sftp");
        batcher.sent(batch, 1L, "sftp");
        batcher.fail(batch, 2L, "sftp", "connection refused");
        batcher.park(batch, 3L, "image file missing: x.jpg");
        assertThat(batcher.next(batch, "sftp")).isEqualTo("rsync");
        assertThat(batch.remaining().size()).isEqualTo(1);
        batcher.failAll(batch, "rsync", "exit 12");
        assertThat(batcher.next(batch, "rsync")).isNull();

        assertThat(batcher.sentRows(batch)).containsExactly(Map.of("id", 1L, "transport", "sftp"));
        assertThat(batcher.parkedRows(batch)).containsExactly(Map.of("id", 3L, "error", "image file missing: x.jpg", "message_id", "m3"));
        Map<String, Object> failed = batcher.failedRows(batch).get(0);
        assertThat(failed).containsEntry("id", 2L).containsEntry("error", "[sftp] connection refused [rsync] exit 12")
                .containsEntry("message_id", "m2");
        // the outbox's backoff: first retry between half and all of the base delay
        assertThat(((Number) failed.get("delay")).longValue()).isBetween(500L, 1000L);
        assertThat(batcher.bytesSent(batch, "sftp")).isEqualTo(10);

        assertThat(batcher.sentAll(batch, "rsync")).isEqualTo(1);
        assertThat(batcher.next(batch, null)).isNull();
        assertThat(batcher.failedRows(batch)).isNull();
    }

    @Test
    void an_empty_chain_delivers_nothing_and_says_why() {
        ImageBatch batch = group(row(1, "", 10)).get(0);
        assertThat(batcher.next(batch, null)).isNull();
        assertThat(batcher.failedRows(batch).get(0).get("error").toString()).contains("no file transport available");
    }
}
