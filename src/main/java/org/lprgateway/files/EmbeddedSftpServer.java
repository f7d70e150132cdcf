package org.lprgateway.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFTP server inside the gateway (Apache MINA SSHD) so that the all-in-one demo delivers images
 * with nothing installed. Key authentication only, for one user, against an authorized-keys file
 * (plus, in the demo, the edge's own public key); the user sees only the upload folder. The host
 * key is generated once and kept. Real servers use OpenSSH and leave this off.
 */
public class EmbeddedSftpServer {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.files");

    private boolean enabled;
    private String host = "127.0.0.1";
    private int port = 2222;
    private String username = "lpr";
    private Path root = Path.of("data/server-upload");
    private Path hostKeyFile = Path.of("data/sftp/host-key");
    private Path authorizedKeysFile = Path.of("data/sftp/authorized_keys");
    private String trustedPublicKeyFile;
    private String knownHostsFile;
    private String knownHostsName;
    private SshServer server;

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setRoot(String root) {
        this.root = Path.of(root);
    }

    public void setHostKeyFile(String hostKeyFile) {
        this.hostKeyFile = Path.of(hostKeyFile);
    }

    public void setAuthorizedKeysFile(String authorizedKeysFile) {
        this.authorizedKeysFile = Path.of(authorizedKeysFile);
    }

    /** A public key file accepted besides the authorized keys (the demo's edge key); read at each login. */
    public void setTrustedPublicKeyFile(String trustedPublicKeyFile) {
        this.trustedPublicKeyFile = trustedPublicKeyFile;
    }

    /** A known-hosts file to write this server's host key into (the demo's edge), or empty. */
    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    /** The host name clients use for this server, as written into the known-hosts file. */
    public void setKnownHostsName(String knownHostsName) {
        this.knownHostsName = knownHostsName;
    }

    public void start() throws IOException {
        if (!enabled) {
            return;
        }
        Files.createDirectories(root);
        Files.createDirectories(hostKeyFile.toAbsolutePath().getParent());
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> username.equals(user) && authorized(key));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
        // small request/response exchanges: without it each SFTP round trip can wait for a delayed ACK
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.start();
        if (knownHostsFile != null && !knownHostsFile.isBlank()) {
            writeKnownHost(hostKeys);
        }
        LOG.info("embedded SFTP server on {}:{} for user {}, files under {}", host, port, username, root.toAbsolutePath());
    }

    public void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    private boolean authorized(PublicKey key) {
        List<Path> files = new ArrayList<>();
        files.add(authorizedKeysFile);
        if (trustedPublicKeyFile != null && !trustedPublicKeyFile.isBlank()) {
            files.add(Path.of(trustedPublicKeyFile));
        }
        for (Path file : files) {
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(file)) {
                    PublicKey allowed = entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                    if (allowed != null && KeyUtils.compareKeys(allowed, key)) {
                        return true;
                    }
                }
            } catch (IOException | java.security.GeneralSecurityException e) {
                LOG.warn("cannot read authorized keys {}: {}", file, e.toString());
            }
        }
        return false;
    }

    /** Replaces this server's line in the known-hosts file: {@code [name]:port <key>}. */
    private void writeKnownHost(KeyPairProvider hostKeys) throws IOException {
        String name = knownHostsName == null || knownHostsName.isBlank() ? host : knownHostsName;
        String hostPattern = port == 22 ? name : "[" + name + "]:" + port;
        PublicKey pub;
        try {
            pub = hostKeys.loadKeys(null).iterator().next().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        String line = hostPattern + " " + PublicKeyEntry.toString(pub);
        Path file = Path.of(knownHostsFile);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.startsWith(hostPattern + " ")) {
                    lines.add(l);
                }
            }
        }
        lines.add(line);
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
