package io.canaryjudge.heldout4;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Signs each compressed batch for the sink: SHA-256 over a key and the payload (a keyed digest). */
final class BatchSigner {
    private final MessageDigest sha256;
    private final byte[] key = "heldout4-ingest-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    BatchSigner() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] sign(byte[] payload, byte[] json) {
        sha256.reset();
        sha256.update(key);
        sha256.update(payload);
        sha256.update(json);
        return sha256.digest();
    }
}
