package org.lprgateway.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials the gateway accepts: API keys ({@code name = role:secret} lines) and HS256
 * JWTs (one secret per line). Both files are read again when they change, so keys rotate
 * without a restart. Secrets are compared by digest in constant time and never logged.
 */
public class Credentials {

    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
    private static final Set<String> ROLES = Set.of(Principal.OPERATOR, Principal.VIEWER, Principal.CAMERA, Principal.CAMERAS);
    private static final long RECHECK_MILLIS = 1000;

    private record Key(String name, String role, byte[] digest) {
    }

    private final Path apiKeysFile;
    private final Path jwtSecretsFile;
    private final String audience;
    private final Vertx vertx;

    private volatile List<Key> keys = List.of();
    private volatile JWTAuth jwt;
    private volatile FileTime keysStamp;
    private volatile FileTime jwtStamp;
    private volatile long checkedAt;

    public Credentials(Vertx vertx, Path apiKeysFile, Path jwtSecretsFile, String audience) {
        this.vertx = vertx;
        this.apiKeysFile = apiKeysFile;
        this.jwtSecretsFile = jwtSecretsFile;
        this.audience = audience;
        reloadIfChanged(true);
    }

    /** @return the principal an API key names, if it is known */
    public Optional<Principal> apiKey(String secret) {
        reloadIfChanged(false);
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(secret);
        Principal found = null;
        for (Key k : keys) {
            // every key is compared, so the time taken tells nothing about which one matched
            if (MessageDigest.isEqual(k.digest(), digest) && found == null) {
                found = new Principal(k.role(), k.name());
            }
        }
        return Optional.ofNullable(found);
    }

    /** HTTP Basic: the key's name as the user, its secret as the password. */
    public Optional<Principal> basic(String user, String password) {
        return apiKey(password).filter(p -> p.name().equals(user));
    }

    /**
     * Checks an HS256 token: signature with any configured secret, {@code exp} present and not
     * passed, {@code nbf}, {@code aud}; then its {@code role} claim must be a known role.
     */
    public Future<Principal> token(String token) {
        reloadIfChanged(false);
        JWTAuth auth = jwt;
        if (auth == null) {
            return Future.failedFuture("no JWT secrets configured");
        }
        return auth.authenticate(new TokenCredentials(token)).compose(user -> {
            var claims = user.principal();
            if (!claims.containsKey("exp") && !user.containsKey("exp")) {
                return Future.failedFuture("token without exp");
            }
            String role = claims.getValue("role") instanceof String r ? r : null;
            String sub = claims.getValue("sub") instanceof String s ? s : null;
            if (role == null || !ROLES.contains(role)) {
                return Future.failedFuture("token without a known role");
            }
            if (Principal.CAMERA.equals(role) && (sub == null || sub.isEmpty())) {
                return Future.failedFuture("camera token without sub");
            }
            return Future.succeededFuture(new Principal(role, sub == null ? role : sub));
        });
    }

    /** Issues a token signed with the first secret (for scripts and tests). */
    public String issue(String role, String subject, long ttlSeconds) {
        reloadIfChanged(false);
        JWTAuth auth = jwt;
        if (auth == null) {
            throw new IllegalStateException("no JWT secrets configured in " + jwtSecretsFile);
        }
        var claims = new io.vertx.core.json.JsonObject().put("role", role).put("sub", subject);
        return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttlSeconds)
                .setAudience(List.of(audience)));
    }

    private synchronized void reloadIfChanged(boolean force) {
        long now = System.currentTimeMillis();
        if (!force && now - checkedAt < RECHECK_MILLIS) {
            return;
        }
        checkedAt = now;
        FileTime k = stamp(apiKeysFile);
        if (force || !java.util.Objects.equals(k, keysStamp)) {
            keys = readKeys();
            keysStamp = k;
        }
        FileTime j = stamp(jwtSecretsFile);
        if (force || !java.util.Objects.equals(j, jwtStamp)) {
            jwt = readJwt();
            jwtStamp = j;
        }
    }

    private List<Key> readKeys() {
        if (apiKeysFile == null || !Files.isRegularFile(apiKeysFile)) {
            return List.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(apiKeysFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            LOG.warn("API keys not read from {}: {}; the keys read before stay in force", apiKeysFile, e.getMessage());
            return keys;
        }
        List<Key> read = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            String value = p.getProperty(name).trim();
            int colon = value.indexOf(':');
            String role = colon < 0 ? "" : value.substring(0, colon).trim();
            String secret = colon < 0 ? "" : value.substring(colon + 1).trim();
            if (!ROLES.contains(role) || secret.length() < 16) {
                LOG.warn("API key '{}' in {} ignored: expected <role>:<secret of 16 or more characters>, role one of {}",
                        name, apiKeysFile, ROLES);
                continue;
            }
            read.add(new Key(name, role, sha256(secret)));
        }
        LOG.info("{} API key(s) in force from {}", read.size(), apiKeysFile);
        return List.copyOf(read);
    }

    private JWTAuth readJwt() {
        if (jwtSecretsFile == null || !Files.isRegularFile(jwtSecretsFile)) {
            return null;
        }
        List<String> secrets;
        try {
            secrets = Files.readAllLines(jwtSecretsFile, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            LOG.warn("JWT secrets not read from {}: {}; the secrets read before stay in force", jwtSecretsFile, e.getMessage());
            return jwt;
        }
        if (secrets.stream().anyMatch(s -> s.length() < 32)) {
            LOG.warn("JWT secrets in {} ignored: each must have 32 or more characters", jwtSecretsFile);
            return null;
        }
        if (secrets.isEmpty()) {
            return null;
        }
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setAudience(List.of(audience)).setLeeway(30));
        for (String s : secrets) {
            options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(s));
        }
        LOG.info("{} JWT secret(s) in force from {}", secrets.size(), jwtSecretsFile);
        return JWTAuth.create(vertx, options);
    }

    private static FileTime stamp(Path file) {
        try {
            return file == null || !Files.exists(file) ? null : Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random secret for generated credentials: 32 bytes, URL-safe base64. */
    public static String randomSecret() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
