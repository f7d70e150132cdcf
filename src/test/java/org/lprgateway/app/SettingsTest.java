package org.lprgateway.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsTest {

    private static Properties known() {
        Properties p = new Properties();
        p.setProperty("outbox.batchSize", "200");
        p.setProperty("gateway.http.port", "8000");
        p.setProperty("gateway.role", "all");
        return p;
    }

    @Test
    void env_name_is_upper_case_with_dots_as_underscores() {
        assertThat(Settings.envName("outbox.batchSize")).isEqualTo("OUTBOX_BATCHSIZE");
        assertThat(Settings.envName("gateway.http.port")).isEqualTo("GATEWAY_HTTP_PORT");
    }

    @Test
    void env_name_turns_dashes_and_brackets_into_underscores() {
        assertThat(Settings.envName("camel.threadpool.config[outboxPool].pool-size"))
                .isEqualTo("CAMEL_THREADPOOL_CONFIG_OUTBOXPOOL__POOL_SIZE");
    }

    @Test
    void argument_wins_over_environment() {
        Map<String, String> out = Settings.overrides(known(), Map.of("OUTBOX_BATCHSIZE", "50"),
                new String[] {"--outbox.batchSize=10"});

        assertThat(out).containsEntry("outbox.batchSize", "10");
    }

    @Test
    void environment_wins_over_file() {
        Map<String, String> out = Settings.overrides(known(), Map.of("GATEWAY_HTTP_PORT", "9090"), new String[0]);

        assertThat(out).containsExactlyEntriesOf(Map.of("gateway.http.port", "9090"));
    }

    @Test
    void file_value_stands_when_neither_environment_nor_argument_sets_the_key() {
        Map<String, String> out = Settings.overrides(known(), Map.of("GATEWAY_HTTP_PORT", "9090"),
                new String[] {"--gateway.role=server"});

        assertThat(out).doesNotContainKey("outbox.batchSize");
    }

    @Test
    void role_argument_becomes_gateway_role() {
        Map<String, String> out = Settings.overrides(known(), Map.of("GATEWAY_ROLE", "server"),
                new String[] {"--role=edge"});

        assertThat(out).containsEntry("gateway.role", "edge").doesNotContainKey("role");
    }

    @Test
    void environment_variable_for_an_unknown_key_is_ignored() {
        Map<String, String> out = Settings.overrides(known(), Map.of("REST_URL", "http://elsewhere/api",
                "PATH", "/usr/bin"), new String[0]);

        assertThat(out).isEmpty();
    }

    @Test
    void arguments_that_are_not_key_value_pairs_are_ignored() {
        Map<String, String> out = Settings.overrides(known(), Map.of(),
                new String[] {"edge", "--verbose", "-x=1", "--=oops", "outbox.batchSize=5", "--outbox.batchSize=7"});

        assertThat(out).containsExactlyEntriesOf(Map.of("outbox.batchSize", "7"));
    }

    @Test
    void argument_value_may_contain_equals_signs() {
        Map<String, String> out = Settings.overrides(known(), Map.of(),
                new String[] {"--rest.url=http://server/api?a=b"});

        assertThat(out).containsEntry("rest.url", "http://server/api?a=b");
    }

    @Test
    void keys_of_the_working_directory_file_become_known_to_the_environment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "site.label = north gate\n");

        Properties known = Settings.knownKeys(file);
        Map<String, String> out = Settings.overrides(known, Map.of("SITE_LABEL", "south gate"), new String[0]);

        assertThat(known).containsKeys("site.label", "outbox.batchSize");
        assertThat(out).containsEntry("site.label", "south gate");
    }

    @Test
    void a_secret_file_named_in_the_environment_gives_the_value_and_marks_it_secret(@TempDir Path dir) throws Exception {
        Properties known = known();
        known.setProperty("mqtt.password", "");
        Path file = Files.writeString(dir.resolve("pw"), "s3cret-from-file\n");
        Map<String, String> out = Settings.overrides(known, Map.of("MQTT_PASSWORD_FILE", file.toString()), new String[0]);

        assertThat(out).containsEntry("mqtt.password", "s3cret-from-file");
        assertThat(Settings.secretKeys()).contains("mqtt.password");
    }

    @Test
    void a_value_for_a_key_without_a_default_is_secret_by_where_it_came_from_a_plain_setting_is_not() {
        Properties known = known();
        known.setProperty("site.token", "");
        known.setProperty("site.label", "");
        Settings.overrides(known, Map.of("SITE_TOKEN", "abc123", "OUTBOX_BATCHSIZE", "20"), new String[] {"--site.label=north"});

        assertThat(Settings.secretKeys()).contains("site.token").doesNotContain("outbox.batchSize", "site.label");
    }

    @Test
    void an_unreadable_secret_file_stops_the_start_naming_the_file_not_a_value(@TempDir Path dir) {
        Properties known = known();
        known.setProperty("mqtt.password", "");
        Path missing = dir.resolve("missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.overrides(known,
                Map.of("MQTT_PASSWORD_FILE", missing.toString()), new String[0]))
                .hasMessageContaining("mqtt.password").hasMessageContaining(missing.toString());
    }

    @Test
    void a_key_documented_commented_out_without_a_value_can_come_from_the_environment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"),
                "# credentials, best from the environment\n#site.password =\n#site.note = not a setting\nsite.label = x\n");
        Properties known = Settings.knownKeys(file);

        assertThat(known).containsEntry("site.password", "").doesNotContainKey("site.note");
        assertThat(Settings.overrides(known, Map.of("SITE_PASSWORD", "pw123456"), new String[0]))
                .containsEntry("site.password", "pw123456");
    }
}
