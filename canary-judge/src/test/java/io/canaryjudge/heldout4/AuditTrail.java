package io.canaryjudge.heldout4;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The {@code newpath} build's new feature: a compact binary audit record of every serialised batch (who, what,
 * when), written with {@link DataOutputStream}. Called under {@link BatchSerializer#serialize}.
 */
final class AuditTrail {
    private final int everyNth;
    private long written;

    AuditTrail(int everyNth) {
        this.everyNth = everyNth;
    }

    void snapshot(List<LogEvent> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int i = 0; i < batch.size(); i += everyNth) {
                LogEvent e = batch.get(i);
                out.writeLong(e.timestampMillis);
                out.writeUTF(e.userId);
                out.writeUTF(e.sessionId);
                out.writeUTF(e.method + ' ' + e.path);
                out.writeShort(e.status);
                out.writeUTF(e.clientIp);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        written += bytes.size();
    }

    long written() {
        return written;
    }
}
