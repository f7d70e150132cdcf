package org.lprgateway.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus alert rules (deploy/prometheus/alerts.yml) are valid, and each fires on made-up
 * series as deploy/prometheus/alerts-test.yml expects. Needs promtool (Debian package prometheus,
 * installed by scripts/test.sh).
 */
class AlertRulesTest {

    private static String promtool(String... args) throws Exception {
        assertThat(Path.of("/usr/bin/promtool")).as("promtool (apt-get install prometheus; scripts/test.sh does)").exists();
        var cmd = new java.util.ArrayList<String>();
        cmd.add("/usr/bin/promtool");
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(Path.of("deploy/prometheus").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void the_rules_are_valid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 9 rules found");
    }

    @Test
    void every_alert_fires_on_its_condition() throws Exception {
        assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
        String tests = Files.readString(Path.of("deploy/prometheus/alerts-test.yml"));
        for (String alert : new String[] {"LprGatewayDown", "LprBacklogGrowing", "LprOldestUnsentTooOld", "LprRecordsParked",
                "LprBreakerOpen", "LprTransportErrorRate", "LprImagesParked", "LprIngestFailing", "LprCameraOffline"}) {
            assertThat(tests).as(alert + " has a test").contains("alertname: " + alert);
        }
    }
}
