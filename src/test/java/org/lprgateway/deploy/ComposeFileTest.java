package org.lprgateway.deploy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.security.Cidrs;
import org.lprgateway.security.Credentials;
import org.lprgateway.security.Principal;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml as far as it can be checked without a Docker engine: its Hawtio reaches both
 * gateways where they listen and from where they answer management, the gateways share the
 * credentials its secrets service writes, and that script writes keys the gateway accepts.
 */
class ComposeFileTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return (List<String>) o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void hawtio_is_preset_to_both_gateways_on_their_ports_and_their_management_admits_the_compose_network() throws Exception {
        Map<String, Object> services = map(compose().get("services"));
        Map<String, Object> hawtio = map(services.get("hawtio"));
        assertThat(hawtio.get("build")).isEqualTo("tools/hawtio");
        assertThat(list(hawtio.get("ports"))).allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
        List<Object> ipam = (List<Object>) map(map(map(compose().get("networks")).get("lpr")).get("ipam")).get("config");
        String subnet = map(ipam.get(0)).get("subnet").toString();
        String inNetwork = subnet.substring(0, subnet.indexOf('/')).replaceFirst("\\.0$", ".7");

        List<String> gateways = list(hawtio.get("command")).stream().filter(a -> a.contains("=http")).toList();
        assertThat(gateways).hasSize(2);
        for (String g : gateways) {
            URI url = URI.create(g.substring(g.indexOf('=') + 1));
            assertThat(url.getPath()).isEqualTo("/observe/jolokia");
            Map<String, Object> gateway = map(services.get(url.getHost()));
            assertThat(gateway).as(url.getHost() + " is a service of the file").isNotNull();
            assertThat(list(gateway.get("ports"))).contains(url.getPort() + ":" + url.getPort());
            Map<String, Object> env = map(gateway.get("environment"));
            assertThat(new Cidrs(env.get("SECURITY_MANAGEMENT_ALLOW").toString()).contains(inNetwork))
                    .as(url.getHost() + " answers management from the compose network").isTrue();
            assertThat(list(gateway.get("networks"))).contains("lpr");
            assertThat(env.get("SECURITY_APIKEYSFILE")).isEqualTo("/secrets/api-keys.properties");
            assertThat(env.get("SECURITY_SIGNING_KEY_FILE")).isEqualTo("/secrets/signing-key");
            assertThat(list(gateway.get("volumes"))).contains("secrets:/secrets:ro");
        }
        Map<String, Object> edgeEnv = map(map(services.get("edge")).get("environment"));
        assertThat(edgeEnv.get("GATEWAY_HTTP_HOST_EDGE")).isEqualTo("0.0.0.0");
        assertThat(edgeEnv.get("SECURITY_CLIENT_APIKEY_FILE")).isEqualTo("/secrets/camera-key");
    }

    @Test
    void the_secrets_script_writes_keys_the_gateway_accepts_once_and_keeps_them(@TempDir Path dir) throws Exception {
        ProcessBuilder run = new ProcessBuilder("sh", "deploy/compose/make-secrets.sh").redirectErrorStream(true);
        run.environment().put("SECRETS_DIR", dir.toString());
        assertThat(run.start().waitFor()).isZero();
        Path keys = dir.resolve("api-keys.properties");
        assertThat(Files.getPosixFilePermissions(keys)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String operator = Files.readString(dir.resolve("operator-key"));
        String camera = Files.readString(dir.resolve("camera-key"));
        String viewer = Files.readString(dir.resolve("viewer-key"));
        assertThat(Files.readString(dir.resolve("signing-key")).strip()).hasSizeGreaterThanOrEqualTo(32);

        Vertx vertx = Vertx.vertx();
        try {
            Credentials credentials = new Credentials(vertx, keys, dir.resolve("no-jwt-secrets"), "lpr-gateway");
            assertThat(credentials.basic("operator", operator)).contains(new Principal(Principal.OPERATOR, "operator"));
            assertThat(credentials.basic("prometheus", viewer)).contains(new Principal(Principal.VIEWER, "prometheus"));
            assertThat(credentials.apiKey(camera)).contains(new Principal(Principal.CAMERA, "CAM001"));
            assertThat(credentials.apiKey("not-a-key")).isEmpty();
        } finally {
            vertx.close();
        }

        // a second start of the service keeps what the gateways already use
        assertThat(run.start().waitFor()).isZero();
        assertThat(Files.readString(dir.resolve("operator-key"))).isEqualTo(operator);
    }
}
