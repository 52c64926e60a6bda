package io.canaryjudge.web;

import java.util.Map;

/**
 * What Flagger POSTs to a webhook: the canary's {@code name} and {@code namespace}, its {@code phase}, the
 * {@code checksum} of its spec, and the webhook's free {@code metadata} map (the judge's parameters). Fields
 * Flagger may add later are ignored.
 *
 * <p>Flagger's {@code event} webhook (a Canary webhook of type {@code event}, or the controller's
 * {@code -event-webhook}) POSTs the same shape with no type field: its {@code CallEventWebhook} fills
 * {@code metadata} with {@value #EVENT_MESSAGE}, {@value #EVENT_TYPE} ({@code Normal} or {@code Warning}) and
 * {@code timestamp} (Unix milliseconds), then adds the webhook's own metadata under keys not taken. Those keys
 * are how an event is told from a call that asks for a judgment.
 */
public record FlaggerPayload(String name, String namespace, String phase, String checksum,
                             Map<String, String> metadata) {
    static final String EVENT_MESSAGE = "eventMessage";
    static final String EVENT_TYPE = "eventType";

    /** Whether this is an event Flagger reports (both keys its event webhook always sets), not a call to judge. */
    boolean isEvent() {
        return metadata != null && metadata.containsKey(EVENT_MESSAGE) && metadata.containsKey(EVENT_TYPE);
    }
}
