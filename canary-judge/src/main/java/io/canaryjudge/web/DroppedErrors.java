package io.canaryjudge.web;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import reactor.core.publisher.Hooks;
import reactor.netty.channel.AbortedException;

/**
 * Errors Reactor drops because their stream had already ended: Reactor's default logs each at ERROR with its stack
 * trace. A multipart body cut short raises a second decoding error after the request was answered 400; at ERROR,
 * every malformed upload a client sends would page the teams who alert on ERROR lines. A request body that could
 * not be decoded was the client's mistake and was answered: DEBUG; so is a request whose client closed its connection
 * while it arrived (the multipart parser fails a second time). Anything else dropped is one WARN line (its stack
 * at DEBUG): worth seeing, not an outage. Fatal JVM errors never reach this hook (Reactor throws them).
 */
final class DroppedErrors {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedErrors.class);

    private DroppedErrors() {
    }

    /** Reactor's hook is cumulative: installed once per JVM however many application contexts start. */
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    /** Replaces Reactor's default handler for the whole JVM; idempotent. */
    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            Hooks.onErrorDropped(DroppedErrors::log);
        }
    }

    static void log(Throwable error) {
        if (ProblemResponses.stalledRequest(error)) {
            LOG.debug("a request whose body stalled failed again after it was answered 408: {}", error.toString());
            return;
        }
        if (error instanceof AbortedException) {
            LOG.debug("a request whose client closed its connection failed again after it was answered: {}",
                    error.getMessage());
            return;
        }
        if (error instanceof DecodingException) {
            LOG.debug("a request body that could not be decoded failed again after it was answered: {}",
                    error.getMessage());
            return;
        }
        LOG.warn("an error after its stream had ended was dropped: {}: {}", error.getClass().getName(),
                String.valueOf(error.getMessage()).replaceAll("[\\r\\n]+", " "));
        LOG.debug("the dropped error", error);
    }
}
