package io.canaryjudge.web;

import java.util.Map;

/**
 * What Flagger POSTs to a webhook: the canary's {@code name} and {@code namespace}, its {@code phase}, the
 * {@code checksum} of its spec, and the webhook's free {@code metadata} map (the judge's parameters). Fields
 * Flagger may add later are ignored.
 */
public record FlaggerPayload(String name, String namespace, String phase, String checksum,
                             Map<String, String> metadata) {
}
