package io.canaryjudge.heldout4;

import java.io.ByteArrayOutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/** Serialises a batch of enriched events as newline-delimited JSON with Jackson's streaming generator. */
final class BatchSerializer {
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final AuditTrail audit;

    BatchSerializer(AuditTrail audit) {
        this.audit = audit;
    }

    byte[] serialize(List<LogEvent> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 400);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            for (LogEvent e : batch) {
                g.writeStartObject();
                g.writeNumberProperty("ts", e.timestampMillis);
                g.writeStringProperty("host", e.host);
                g.writeStringProperty("service", e.service);
                g.writeStringProperty("method", e.method);
                g.writeStringProperty("route", e.path);
                g.writeNumberProperty("status", e.status);
                g.writeNumberProperty("latency_us", e.latencyMicros);
                g.writeNumberProperty("bytes", e.bytes);
                g.writeStringProperty("ip", e.clientIp);
                g.writeStringProperty("user", e.userId);
                g.writeStringProperty("session", e.sessionId);
                g.writeStringProperty("agent", e.userAgent);
                g.writeStringProperty("agent_class", e.agentClass);
                g.writeStringProperty("region", e.region);
                g.writeStringProperty("country", e.country);
                g.writeStringProperty("fp", Long.toHexString(e.fingerprint));
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        if (audit != null) {
            audit.snapshot(batch);
        }
        return out.toByteArray();
    }
}
