package org.lprgateway.app;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.main.Main;

/**
 * Starts the gateway. The role (edge, server, all) and every other setting come from
 * application.properties, environment variables and {@code --key=value} arguments, in
 * increasing order of precedence; {@code --role=edge} is short for {@code --gateway.role=edge}.
 */
public final class Application {

    /** Where settings are read from: the file beside the routes wins over the copy in the jar. */
    static final String PROPERTY_LOCATIONS =
            "file:${gateway.config:application.properties};optional=true,classpath:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        List<String> camelArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                String key = arg.substring(2, arg.indexOf('='));
                String value = arg.substring(arg.indexOf('=') + 1);
                main.addOverrideProperty("role".equals(key) ? "gateway.role" : key, value);
            } else {
                camelArgs.add(arg);
            }
        }
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.run(camelArgs.toArray(String[]::new));
    }
}
