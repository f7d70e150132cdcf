package org.lprgateway.app;

import java.nio.file.Path;
import java.util.Arrays;

import org.apache.camel.main.Main;
import org.lprgateway.ops.TemplatedRouteNodeIds;
import org.lprgateway.security.HardenedHttpServerFactory;
import org.lprgateway.security.Security;

/**
 * Starts the gateway. The role (edge, server, all) and every other setting come from
 * application.properties, environment variables and {@code --key=value} arguments, in increasing
 * order of precedence; {@code --role=edge} is short for {@code --gateway.role=edge}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        String config = System.getProperty("gateway.config", "application.properties");
        Main main = new Main(Application.class);
        Settings.overrides(Settings.knownKeys(Path.of(config)), System.getenv(), args)
                .forEach(main::addOverrideProperty);
        // Camel's HTTP server with TLS, header and idle timeouts (org.lprgateway.security)
        main.bind("httpServerFactory", new HardenedHttpServerFactory());
        main.addMainListener(new Security());
        // consoles (Hawtio) find the statistics of every step of routes made from templates
        main.bind("templatedRouteNodeIds", new TemplatedRouteNodeIds());
        main.setPropertyPlaceholderLocations(
                "file:" + config + ";optional=true,classpath:application.properties;optional=true");
        main.run(Arrays.stream(args).filter(a -> !Settings.isSetting(a)).toArray(String[]::new));
    }
}
