package org.lprgateway.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's SSH key for SFTP and rsync. On first start, when the key file does not exist and
 * generation is on, an ECDSA P-256 key pair is created ({@code <file>} and {@code <file>.pub}) and
 * its public line logged, for the operator to authorise on the server.
 */
public class SshKeys {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.files");

    private String privateKeyFile;
    private boolean generate = true;
    private String comment = "lpr-gateway";

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public void setGenerate(boolean generate) {
        this.generate = generate;
    }

    public void setComment(String comment) {
        this.comment = comment;
    }

    public void init() throws Exception {
        if (privateKeyFile == null || privateKeyFile.isBlank()) {
            return;
        }
        Path key = Path.of(privateKeyFile);
        if (Files.exists(key)) {
            return;
        }
        if (!generate) {
            LOG.warn("SSH key {} does not exist: SFTP and rsync over ssh will fail until it is provided", key.toAbsolutePath());
            return;
        }
        if (key.getParent() != null) {
            Files.createDirectories(key.getParent());
        }
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        try {
            Path tmp = Files.createTempFile(key.toAbsolutePath().getParent(), ".key", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            pair.writePrivateKey(tmp.toString());
            Path pub = Path.of(privateKeyFile + ".pub");
            pair.writePublicKey(pub.toString(), comment);
            Files.move(tmp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("created SSH key {}; authorise it on the server: {}", key.toAbsolutePath(), Files.readString(pub).strip());
        } finally {
            pair.dispose();
        }
    }
}
