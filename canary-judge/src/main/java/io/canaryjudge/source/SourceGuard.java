package io.canaryjudge.source;

import io.canaryjudge.config.ResilienceProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Guards the calls to one source: a timeout per call (never beyond the analysis {@link Deadline}), bounded
 * retries with exponential backoff for failures that may pass ({@link FailureKind#retryable()}; reads are
 * idempotent), and a circuit breaker that, once the source keeps failing, fails calls at once instead of
 * letting every analysis wait for it. At most {@code max-concurrent-calls} calls are in flight; the others wait
 * their turn. Each call's latency and each failure's kind are recorded as metrics
 * ({@code canary_judge_source_requests_seconds}, {@code canary_judge_source_errors_total}).
 *
 * <p>Failures that may be one application's own data rather than the source's health — no answer within the call's
 * timeout (a merge of a very large application's profiles), or a complete answer that cannot be used (larger than
 * the response limit, stacks deeper than the limit, not a readable profile) — count against a circuit of that
 * application only ({@link #forApplication(String)}), so one application whose queries always time out does not
 * open the circuit of every other application's analyses. Failures of the source as a whole (connection refused or
 * reset, HTTP 5xx or 429) count against the source's circuit, as do all failures of reads made for no application.
 *
 * <p>The guard remembers the last failure that counted against the source: a call the open circuit refuses says
 * why the circuit opened ("circuit open after 10 of the last 10 calls failed, the last: … cannot connect to …"),
 * so a verdict names the cause even when its own analysis's calls opened the circuit (one analysis makes more
 * calls than {@code minimum-calls}). Failures are logged at WARN without flooding: the first one, then at most
 * one a {@linkplain #FAILURE_LOG_INTERVAL minute} (counting those left out), and each opening of the circuit.
 */
public final class SourceGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SourceGuard.class);
    /** After a failure is logged at WARN, further failures of the source within this time are only counted. */
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);
    /** How often a call turned away by the half-open circuit looks whether its trial calls have decided. */
    private static final Duration HALF_OPEN_POLL = Duration.ofMillis(20);

    private final String source;
    private final Duration callTimeout;
    private final SourceFailures failures;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final MeterRegistry registry;
    private final Permits permits;
    private final Duration openFor;
    /** The circuits of applications whose own failures counted ({@link #forApplication}), least recently used first. */
    private final Map<String, ApplicationCircuit> applications = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApplicationCircuit> eldest) {
            return size() > MAX_APPLICATION_CIRCUITS;
        }
    };
    private final CircuitBreakerConfig applicationConfig;
    /** The last failure that counted against the source (what the circuit breaker recorded). */
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    /** {@link System#nanoTime()} from which the next failure is logged at WARN. */
    private final AtomicLong nextFailureWarning = new AtomicLong(System.nanoTime());
    /** Failures since the last WARN that were not logged at WARN. */
    private final AtomicInteger failuresNotLogged = new AtomicInteger();

    /**
     * @param source      the source's name, in messages and metric tags
     * @param callTimeout time allowed for one call
     */
    public SourceGuard(String source, Duration callTimeout, ResilienceProperties resilience, SourceFailures failures,
                       MeterRegistry registry) {
        this.source = Objects.requireNonNull(source, "source");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.registry = Objects.requireNonNull(registry, "registry");
        // Calls beyond the permits wait (without a thread, without their timeout running) rather than pile up in
        // a connection pool and time out there: the source's own concurrency stays what it can serve. The queue is
        // bounded by the analyses admitted; the analysis deadline ends any wait.
        this.permits = new Permits(resilience.maxConcurrentCalls(), Integer.MAX_VALUE);
        this.openFor = resilience.openFor();
        this.circuitBreaker = CircuitBreaker.of(source, circuitConfig(resilience)
                .recordException(e -> failures.classify(e).countsAgainstSource())
                // An application's open circuit refusing a call says nothing of the source.
                .ignoreException(e -> e instanceof NoiseOnlyFailure || e instanceof ApplicationFailure
                        || e instanceof CallNotPermittedException)
                .build());
        // The source's own failures neither count for nor against an application's circuit.
        this.applicationConfig = circuitConfig(resilience)
                .recordException(e -> e instanceof ApplicationFailure)
                .ignoreException(e -> !(e instanceof ApplicationFailure))
                .build();
        this.retry = Retry.of(source, RetryConfig.custom()
                .maxAttempts(resilience.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(resilience.backoff(),
                        resilience.backoffMultiplier()))
                .retryOnException(e -> !(e instanceof CallNotPermittedException) && failures.classify(e).retryable())
                .build());
        circuitBreaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> LOG.warn("{}: {}; calls fail at once for {} s", source, openReason(),
                        openFor.toSeconds());
                case CLOSED -> LOG.info("{}: circuit closed again, calls go through", source);
                default -> LOG.debug("{}: circuit {}", source, event.getStateTransition());
            }
        });
    }

    private static CircuitBreakerConfig.Builder circuitConfig(ResilienceProperties resilience) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(resilience.failureRate())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(resilience.window())
                .minimumNumberOfCalls(Math.min(resilience.minimumCalls(), resilience.window()))
                .waitDurationInOpenState(resilience.openFor());
    }

    public String source() {
        return source;
    }

    /** Applications whose circuits are kept; the least recently used goes first (a closed circuit costs nothing). */
    static final int MAX_APPLICATION_CIRCUITS = 1_000;

    /** {@link #forApplication}'s context key. */
    private static final String APPLICATION = "canary-judge.source.application";

    /**
     * Marks the reads made under the returned context function as fetching {@code application}'s data: their
     * timeouts and unusable answers count against that application's circuit, not the source's (class comment).
     * Use as {@code mono.contextWrite(SourceGuard.forApplication(name))}.
     */
    public static Function<Context, Context> forApplication(String application) {
        return context -> application == null ? context : context.put(APPLICATION, application);
    }

    /** A failure that may be one application's data, while it passes that application's circuit and the source's. */
    private static final class ApplicationFailure extends RuntimeException {
        ApplicationFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** One application's circuit and the last failure it recorded. */
    private record ApplicationCircuit(String application, CircuitBreaker breaker, AtomicReference<Throwable> last) {
    }

    private ApplicationCircuit applicationCircuit(ContextView context) {
        String application = context.getOrDefault(APPLICATION, null);
        if (application == null) {
            return null;
        }
        synchronized (applications) {
            return applications.computeIfAbsent(application, name -> {
                CircuitBreaker breaker = CircuitBreaker.of(source + " for " + name, applicationConfig);
                ApplicationCircuit circuit = new ApplicationCircuit(name, breaker, new AtomicReference<>());
                breaker.getEventPublisher().onStateTransition(event -> {
                    if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                        LOG.warn("{}: {}; calls for application {} fail at once for {} s (other applications' calls"
                                + " go through)", source, openReason(breaker, circuit.last().get()), name,
                                openFor.toSeconds());
                    }
                });
                return circuit;
            });
        }
    }

    /** Whether a failure of {@code kind} may be one application's data rather than the whole source's health. */
    private static boolean applicationSpecific(FailureKind kind) {
        return kind == FailureKind.TIMEOUT || kind == FailureKind.BAD_RESPONSE;
    }

    /**
     * Marks the reads of {@code call} as fetching data that only teaches noise (the baseline's earlier windows):
     * they are guarded like any read, and refused while the circuit is open, but their failures do not count
     * towards opening it. Earlier windows can fail while the current ones are served (older data on a slower or
     * failing path of the source); counted, they opened the circuit and the next analyses, of every application,
     * lacked their baseline and canary data, though a history window that cannot be fetched costs only a warning.
     */
    public static <T> Mono<T> noiseOnly(Mono<T> call) {
        return call.contextWrite(context -> context.put(NOISE_ONLY, Boolean.TRUE));
    }

    /** {@link #noiseOnly(Mono)}'s context key. */
    private static final String NOISE_ONLY = "canary-judge.source.noise-only";

    /** A failure of a {@linkplain #noiseOnly(Mono) noise-only} read while it passes the circuit breaker, which ignores it. */
    private static final class NoiseOnlyFailure extends RuntimeException {
        NoiseOnlyFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The circuit's state: CLOSED (calls go through), OPEN (they fail at once), HALF_OPEN (trying again). */
    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    /**
     * Why the circuit is open, for verdicts and readiness: {@code circuit open after 10 of the last 10 calls failed,
     * the last: SelectSeries …: cannot connect to http://… (ConnectException: Connection refused)}.
     */
    public String openReason() {
        return openReason(circuitBreaker, lastFailure.get());
    }

    private String openReason(CircuitBreaker breaker, Throwable last) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        StringBuilder reason = new StringBuilder("circuit open after ");
        if (metrics.getNumberOfFailedCalls() > 0) {
            reason.append(metrics.getNumberOfFailedCalls()).append(" of the last ")
                    .append(metrics.getNumberOfBufferedCalls()).append(" calls failed");
        } else {
            reason.append("repeated failures");
        }
        if (last != null) {
            reason.append(", the last: ").append(withoutSource(last));
        }
        return reason.toString();
    }

    /**
     * Runs an idempotent read under the guard.
     *
     * @param operation what is read (a metric tag), e.g. {@code profiles}
     * @param call      makes the call; invoked again for each retry
     */
    public <T> Mono<T> read(String operation, Supplier<Mono<T>> call) {
        return read(operation, 1, call);
    }

    /**
     * Runs an idempotent read that makes up to {@code requests} requests of the source (a pod's slices): it may
     * take that many call timeouts, never more than the deadline allows.
     */
    public <T> Mono<T> read(String operation, int requests, Supplier<Mono<T>> call) {
        Duration allowedForAll = callTimeout.multipliedBy(Math.max(1, requests));
        Mono<T> attempt = Mono.deferContextual(context -> {
            boolean noiseOnly = context.getOrDefault(NOISE_ONLY, Boolean.FALSE);
            ApplicationCircuit own = applicationCircuit(context);
            Deadline deadline = Deadline.in(context);
            Duration timeout = allowedForAll;
            if (deadline != null) {
                Duration remaining = deadline.remaining();
                if (remaining.isNegative() || remaining.isZero()) {
                    return Mono.error(failures.create(FailureKind.DEADLINE,
                            "the analysis deadline passed before " + operation + " could be asked", null));
                }
                timeout = remaining.compareTo(timeout) < 0 ? remaining : timeout;
            }
            Duration allowed = timeout;
            Timer.Sample sample = Timer.start(registry);
            return Mono.defer(call)
                    .timeout(allowed)
                    .onErrorMap(TimeoutException.class, e -> failures.create(FailureKind.TIMEOUT,
                            "no answer to " + operation + " within " + millis(allowed), e))
                    .doOnSuccess(value -> sample.stop(timer(operation, "success")))
                    .doOnError(e -> {
                        FailureKind kind = failures.classify(e);
                        sample.stop(timer(operation, kind.tag()));
                        errors(kind).increment();
                        if (kind.countsAgainstSource()) {
                            if (!noiseOnly) {
                                (own != null && applicationSpecific(kind) ? own.last() : lastFailure).set(e);
                            }
                            logFailure(operation, kind, e);
                        }
                    })
                    .onErrorMap(e -> noiseOnly && failures.classify(e).countsAgainstSource(), NoiseOnlyFailure::new)
                    .onErrorMap(e -> own != null && !(e instanceof NoiseOnlyFailure)
                            && applicationSpecific(failures.classify(e)), ApplicationFailure::new);
        });
        // The source's circuit outside the application's: a source that is down refuses at once, whichever
        // application asks; an application whose own calls keep failing is refused by its circuit alone.
        Mono<T> guarded = Mono.deferContextual(context -> {
            ApplicationCircuit own = applicationCircuit(context);
            Mono<T> permitted = permits.run(() -> attempt);
            if (own != null) {
                permitted = permitted.transformDeferred(CircuitBreakerOperator.of(own.breaker()));
            }
            return permitted.transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
        }).onErrorMap(e -> e instanceof NoiseOnlyFailure || e instanceof ApplicationFailure, Throwable::getCause);
        return waitingOutTrials(guarded, System.nanoTime() + allowedForAll.toNanos())
                .transformDeferred(RetryOperator.of(retry))
                .onErrorResume(CallNotPermittedException.class, e -> Mono.deferContextual(context -> {
                    errors(FailureKind.CIRCUIT_OPEN).increment();
                    ApplicationCircuit own = applicationCircuit(context);
                    String why = own != null && e.getCausingCircuitBreakerName().equals(own.breaker().getName())
                            ? "for application " + own.application() + ": " + openReason(own.breaker(), own.last().get())
                            : openReason();
                    return Mono.error(failures.create(FailureKind.CIRCUIT_OPEN, "unavailable (" + why
                            + "; calls resume " + openFor.toSeconds() + " s after it opened)", e));
                }));
    }

    /**
     * A call the half-open circuit turns away because its few trial calls are still out waits for their outcome
     * rather than failing as if the source were down: one analysis makes many more calls than the trials, and the
     * first analysis after a source came back would otherwise be INCONCLUSIVE blaming an open circuit. Closed again:
     * the call goes through; open again: it fails with the open circuit's reason. The wait ends by
     * {@code waitUntilNanos} (the call's own allowance) and with the analysis (its deadline cancels it).
     */
    private <T> Mono<T> waitingOutTrials(Mono<T> guarded, long waitUntilNanos) {
        // Closed counts too: the trials may have closed the circuit between turning this call away and this check.
        return guarded.onErrorResume(e -> e instanceof CallNotPermittedException refused
                        && trying(refused.getCausingCircuitBreakerName())
                        && System.nanoTime() - waitUntilNanos < 0,
                e -> Mono.delay(HALF_OPEN_POLL).then(Mono.defer(() -> waitingOutTrials(guarded, waitUntilNanos))));
    }

    /** Whether the circuit named {@code name} (the source's or an application's) is half open or closed again. */
    private boolean trying(String name) {
        CircuitBreaker breaker = circuitBreaker;
        String prefix = source + " for ";
        if (!name.equals(circuitBreaker.getName()) && name.startsWith(prefix)) {
            synchronized (applications) {
                ApplicationCircuit own = applications.get(name.substring(prefix.length()));
                breaker = own == null ? null : own.breaker();
            }
        }
        return breaker != null && (breaker.getState() == CircuitBreaker.State.HALF_OPEN
                || breaker.getState() == CircuitBreaker.State.CLOSED);
    }

    /** The first failure at WARN, then at most one per {@link #FAILURE_LOG_INTERVAL}: never one line per call. */
    private void logFailure(String operation, FailureKind kind, Throwable failure) {
        long now = System.nanoTime();
        long next = nextFailureWarning.get();
        if (now - next >= 0 && nextFailureWarning.compareAndSet(next, now + FAILURE_LOG_INTERVAL.toNanos())) {
            int notLogged = failuresNotLogged.getAndSet(0);
            LOG.warn("{}: {} failed ({}): {}{}; further failures within {} s are counted"
                            + " (canary_judge_source_errors_total), not logged", source, operation, kind.tag(),
                    withoutSource(failure), notLogged > 0 ? " (" + notLogged + " earlier failure(s) not logged)"
                            : "", FAILURE_LOG_INTERVAL.toSeconds());
        } else {
            failuresNotLogged.incrementAndGet();
            LOG.debug("{}: {} failed ({}): {}", source, operation, kind.tag(), withoutSource(failure));
        }
    }

    /** The failure's message in one line, without the {@code "pyroscope: "} the source's exceptions start with. */
    private String withoutSource(Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        message = message.replaceAll("[\\r\\n]+", " ");
        return message.startsWith(source + ": ") ? message.substring(source.length() + 2) : message;
    }

    private Timer timer(String operation, String outcome) {
        return Timer.builder("canary.judge.source.requests")
                .description("Calls to profile and metric sources, by outcome (success or failure kind)")
                .tag("source", source).tag("operation", operation).tag("outcome", outcome)
                .register(registry);
    }

    private Counter errors(FailureKind kind) {
        return Counter.builder("canary.judge.source.errors")
                .description("Failed calls to profile and metric sources, by kind")
                .tag("source", source).tag("kind", kind.tag())
                .register(registry);
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}
