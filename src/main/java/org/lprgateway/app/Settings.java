package org.lprgateway.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Precedence of settings: {@code --key=value} arguments, then environment variables, then
 * application.properties (the file in the working directory, then the copy in the jar).
 * Camel's own environment lookup would put the environment above the arguments, so the
 * environment is folded in here, for every key the properties files name.
 */
public final class Settings {

    private Settings() {
    }

    /** The environment variable that overrides a key: upper case, '.', '-', '[' and ']' as '_'. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[.\\-\\[\\]]", "_");
    }

    /**
     * @return the overrides to apply, arguments last so they win; {@code role} is short for
     *         {@code gateway.role}. Arguments that are not {@code --key=value} are left out.
     */
    static Map<String, String> overrides(Properties known, Map<String, String> env, String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : known.stringPropertyNames()) {
            String file = env.get(envName(key) + "_FILE");
            if (file != null && !file.isEmpty()) {
                out.put(key, readSecretFile(key, Path.of(file)));
                SECRET_KEYS.add(key);
            }
            String value = env.get(envName(key));
            if (value != null) {
                out.put(key, value);
                noteSource(known, key);
            }
        }
        for (String arg : args) {
            if (isSetting(arg)) {
                String key = arg.substring(2, arg.indexOf('='));
                out.put("role".equals(key) ? "gateway.role" : key, arg.substring(arg.indexOf('=') + 1));
            }
        }
        return out;
    }

    /**
     * Keys whose value is a secret by where it came from: a secret file, or the environment for a
     * key the configuration file leaves without a value (secrets never have one there). Arguments
     * are not a place for secrets (any local user can read a command line).
     */
    private static final Set<String> SECRET_KEYS = ConcurrentHashMap.newKeySet();

    /** @return the keys whose values must never be shown */
    public static Set<String> secretKeys() {
        return Set.copyOf(SECRET_KEYS);
    }

    /** A value the gateway made itself that must never be shown (a generated credential). */
    public static void markSecret(String key) {
        SECRET_KEYS.add(key);
    }

    private static void noteSource(Properties known, String key) {
        String fileValue = known.getProperty(key);
        if (fileValue == null || fileValue.trim().isEmpty()) {
            SECRET_KEYS.add(key);
        }
    }

    private static String readSecretFile(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            // the message names the file, never its content
            throw new IllegalArgumentException("secret file for " + key + " not readable: " + file, e);
        }
    }

    static boolean isSetting(String arg) {
        return arg.startsWith("--") && arg.indexOf('=') > 2;
    }

    /**
     * Keys of application.properties: the jar's copy and the file beside the routes. A key written
     * commented out without a value ({@code #mqtt.password =}) is known too, with an empty value:
     * it is documented there and may be set from the environment or a secret file.
     */
    public static Properties knownKeys(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                addUnset(p, text);
                p.load(new java.io.StringReader(text));
            }
        }
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            addUnset(p, text);
            p.load(new java.io.StringReader(text));
        }
        return p;
    }

    private static final java.util.regex.Pattern UNSET = java.util.regex.Pattern.compile("(?m)^#\\s*([A-Za-z][\\w.\\[\\]-]*)\\s*=\\s*$");

    private static void addUnset(Properties p, String text) {
        java.util.regex.Matcher m = UNSET.matcher(text);
        while (m.find()) {
            p.putIfAbsent(m.group(1), "");
        }
    }
}
