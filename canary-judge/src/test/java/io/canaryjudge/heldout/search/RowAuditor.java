package io.canaryjudge.heldout.search;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The canary-only step of the {@code rowAudit} scenario: checks each loaded row against a digest
 * of its payload before it is served (a tamper check), through the JDK's SHA-256. A new hot path
 * under {@code RecordStore.load}: its cost lands in {@code sun.security.provider} frames.
 */
public final class RowAuditor {
    /** Bytes of each payload digested; sets the step's share of CPU (about 2 % measured). */
    private static final int DIGESTED_BYTES = 512;
    private final MessageDigest digest;
    private long seal;

    public RowAuditor() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public void verify(List<RecordStore.Row> rows) {
        for (RecordStore.Row row : rows) {
            digest.update(row.payload(), 0, Math.min(DIGESTED_BYTES, row.payload().length));
            byte[] hash = digest.digest();
            seal += hash[0] ^ hash[31];
        }
    }

    /** A value derived from every digest, so the JIT cannot drop the work. */
    public long seal() {
        return seal;
    }
}
