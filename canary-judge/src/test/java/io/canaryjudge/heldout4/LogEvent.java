package io.canaryjudge.heldout4;

/** One parsed access-log line of the ingestion pipeline, enriched in place by {@link GeoEnricher}. */
final class LogEvent {
    long timestampMillis;
    String host;
    String service;
    String method;
    String path;
    int status;
    int latencyMicros;
    int bytes;
    String clientIp;
    String userId;
    String sessionId;
    String userAgent;
    // enrichment
    String region;
    String country;
    String agentClass;
    long fingerprint;
}
