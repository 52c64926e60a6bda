package io.canaryjudge.source;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.TypesHeld;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link ProfileSource} whose reads go through a {@link SourceGuard}. A slice list is fetched whole and
 * retried whole (a retried stream must not deliver a profile twice).
 */
public final class GuardedProfileSource implements ProfileSource, AutoCloseable {
    private final ProfileSource delegate;
    private final SourceGuard guard;
    private final Duration healthTimeout;

    public GuardedProfileSource(ProfileSource delegate, SourceGuard guard, Duration healthTimeout) {
        this.delegate = delegate;
        this.guard = guard;
        this.healthTimeout = healthTimeout;
    }

    /** How profile sources report failures: {@link ProfileSourceException} and its kinds. */
    public static SourceFailures failures(String source) {
        return new SourceFailures() {
            @Override
            public FailureKind classify(Throwable failure) {
                if (failure instanceof GuardException guarded) {
                    return guarded.failureKind;
                }
                if (failure instanceof ProfileSourceException e) {
                    return switch (e.kind()) {
                        case UNAVAILABLE -> FailureKind.UNAVAILABLE;
                        case TIMEOUT -> FailureKind.TIMEOUT;
                        case BAD_RESPONSE -> FailureKind.BAD_RESPONSE;
                        case NOT_THE_API -> FailureKind.NOT_THE_API;
                        case REJECTED -> FailureKind.REJECTED;
                    };
                }
                if (failure instanceof TimeoutException) {
                    return FailureKind.TIMEOUT;
                }
                return FailureKind.BAD_RESPONSE;
            }

            @Override
            public RuntimeException create(FailureKind kind, String message, Throwable cause) {
                return new GuardException(source, kind, message, cause);
            }
        };
    }

    /**
     * A failure the guard detected (timeout, open circuit, passed deadline), as a {@link ProfileSourceException}
     * so callers handle one type.
     */
    static final class GuardException extends ProfileSourceException {
        private final FailureKind failureKind;

        GuardException(String source, FailureKind failureKind, String message, Throwable cause) {
            super(source, failureKind == FailureKind.TIMEOUT || failureKind == FailureKind.DEADLINE ? Kind.TIMEOUT
                    : Kind.UNAVAILABLE, message, cause);
            this.failureKind = failureKind;
        }

        @Override
        public boolean retryable() {
            return failureKind.retryable();
        }
    }

    /** The failure kind of an exception a guarded source signalled. */
    public static FailureKind kindOf(Throwable failure) {
        return failures("").classify(failure);
    }

    public CircuitBreaker.State circuitState() {
        return guard.circuitState();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
        return guard.read("instances", () -> delegate.instances(selector, type, window));
    }

    @Override
    public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                       List<TimeWindow> slices) {
        // One request per slice at most: the call may take a request timeout per slice (the deadline bounds it).
        return guard.read("profiles", slices.size(), () -> delegate.profiles(selector, instance, type, slices).collectList())
                .flatMapIterable(list -> list);
    }

    @Override
    public Mono<Set<ProfileType>> typesHeld(ProfileSelector selector, TimeWindow window) {
        return guard.read("types held", () -> delegate.typesHeld(selector, window));
    }

    @Override
    public Mono<TypesHeld> held(ProfileSelector selector, TimeWindow window) {
        return guard.read("types held", () -> delegate.held(selector, window));
    }

    /** The delegate's view behind this source's guard: one circuit, one rate, whatever the request reads. */
    @Override
    public Optional<ProfileSource> readingFrom(ProfileType type, List<String> series) {
        return delegate.readingFrom(type, series).map(view -> new GuardedProfileSource(view, guard, healthTimeout));
    }

    @Override
    public Mono<List<String>> skipped(ProfileSelector selector, SourceInstance instance) {
        return guard.read("skipped", () -> delegate.skipped(selector, instance));
    }

    /**
     * Not a guarded call: the heap is asked only after the profiles were read through the guard, from the same files
     * (a local directory's pods are cached, an upload is in memory), bounded by the analysis's fetch time; sources
     * without files answer at once. Guarding it would count calls that never reach a remote source in the circuit.
     */
    @Override
    public Mono<Map<String, HeapSeries>> heap(ProfileSelector selector) {
        return delegate.heap(selector);
    }

    /** Not a guarded call, as {@link #heap}: the same files, read with the profiles. */
    @Override
    public Mono<Map<String, MemoryAreaSeries>> areas(ProfileSelector selector) {
        return delegate.areas(selector);
    }

    @Override
    public Mono<Health> health() {
        if (guard.circuitState() == CircuitBreaker.State.OPEN) {
            return Mono.just(new Health(false, name() + " " + guard.openReason()));
        }
        return delegate.health()
                .timeout(healthTimeout)
                .onErrorResume(e -> Mono.just(new Health(false, e instanceof TimeoutException
                        ? "no answer within " + healthTimeout.toMillis() + " ms" : String.valueOf(e.getMessage()))));
    }

    @Override
    public String refusedApplication(String application) {
        return delegate.refusedApplication(application);
    }

    @Override
    public boolean timeAware() {
        return delegate.timeAware();
    }

    @Override
    public List<String> notes() {
        return delegate.notes();
    }

    /** Closes the source when it holds resources (Pyroscope's connection pool). */
    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
