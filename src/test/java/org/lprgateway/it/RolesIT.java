package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Each role loads only its own routes; the role and every setting come from file, environment or arguments. */
class RolesIT extends ProcessTest {

    private GatewayProcess gateway;


    @Test
    void server_role_chosen_by_environment_ingests_and_never_touches_an_edge_database() throws Exception {
        Path dir = Files.createTempDirectory("role-server");
        int port = Ports.free();
        gateway = track(new GatewayProcess("role-server", "server"))
                .env("GATEWAY_ROLE", "server")
                .env("EDGE_DB_PATH", dir.resolve("edge.db").toString())
                .env("SERVER_DB_PATH", dir.resolve("server.db").toString())
                .env("GATEWAY_HTTP_PORT", String.valueOf(port));
        gateway.start().awaitHttp(port, "/api/lpr/data");

        var reply = Http.postJson("http://127.0.0.1:" + port + "/api/lpr/data", Http.detection(null, "ROLE 1"));
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("\"status\":\"success\"").contains("\"record_id\":1");
        assertThat(dir.resolve("server.db")).exists();
        assertThat(dir.resolve("edge.db")).doesNotExist();
    }

    @Test
    void edge_role_has_no_ingest_and_an_argument_wins_over_the_environment() throws Exception {
        Path dir = Files.createTempDirectory("role-edge");
        int envPort = Ports.free();
        int argPort = Ports.free();
        gateway = track(new GatewayProcess("role-edge", "edge"))
                .env("GATEWAY_HTTP_PORT", String.valueOf(envPort))
                .env("SERVER_DB_PATH", dir.resolve("server.db").toString())
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.http.port", argPort);
        gateway.start().awaitHttp(argPort, "/");

        assertThat(GatewayProcess.httpStatus(envPort, "/")).isEqualTo(-1);
        assertThat(Http.postJson("http://127.0.0.1:" + argPort + "/api/lpr/data", Http.detection(null, "ROLE 2")).statusCode())
                .isEqualTo(404);
        assertThat(dir.resolve("edge.db")).exists();
        assertThat(dir.resolve("server.db")).doesNotExist();
    }
}
