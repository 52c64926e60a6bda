package io.canaryjudge.source;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.canaryjudge.config.ResilienceProperties;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The guard's circuit, seen from a caller: when its own calls open it, what the refused calls say and what is
 * logged. Resilience as shipped (3 attempts, circuit over 20 calls opening at 50 % after 10), short backoff.
 */
class SourceGuardTest {
    private static final String REFUSED = "SelectSeries cpu {service_name=\"shop\"}: cannot connect to"
            + " http://127.0.0.1:18199 (ConnectException: Connection refused)";

    private final ResilienceProperties resilience = new ResilienceProperties(3, Duration.ofMillis(1), 2.0, 50, 20, 10,
            Duration.ofSeconds(30), 8);
    private final Logger logger = (Logger) LoggerFactory.getLogger(SourceGuard.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    private SourceGuard guard() {
        return new SourceGuard("pyroscope", Duration.ofSeconds(5), resilience, GuardedProfileSource.failures("pyroscope"),
                new SimpleMeterRegistry());
    }

    private Throwable failedRead(SourceGuard guard, String message, ProfileSourceException.Kind kind) {
        Mono<Throwable> read = guard.<Throwable>read("instances", () -> {
            calls.incrementAndGet();
            return Mono.error(new ProfileSourceException("pyroscope", kind, message));
        });
        return read.onErrorResume(Mono::just).block(Duration.ofSeconds(10));
    }

    @Test
    void callsTheOpenCircuitRefusesNameTheFailureThatOpenedIt() {
        SourceGuard guard = guard();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // one analysis's listings: 3 groups x 2 profile types
            messages.add(failedRead(guard, REFUSED, ProfileSourceException.Kind.UNAVAILABLE).getMessage());
        }

        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(calls).as("10 failed calls opened the circuit; later ones were not made").hasValue(10);
        assertThat(messages.subList(0, 3)).allSatisfy(m -> assertThat(m).isEqualTo("pyroscope: " + REFUSED));
        assertThat(messages.subList(3, 6)).allSatisfy(m -> assertThat(m).isEqualTo("pyroscope: unavailable (circuit"
                + " open after 10 of the last 10 calls failed, the last: " + REFUSED + "; calls resume 30 s after it"
                + " opened)"));
        assertThat(GuardedProfileSource.kindOf(failedRead(guard, REFUSED, ProfileSourceException.Kind.UNAVAILABLE)))
                .isEqualTo(FailureKind.CIRCUIT_OPEN);
    }

    @Test
    void theFirstFailureAndTheOpeningAreLoggedOnceNotEachCall() {
        SourceGuard guard = guard();
        for (int i = 0; i < 6; i++) {
            failedRead(guard, REFUSED, ProfileSourceException.Kind.UNAVAILABLE);
        }

        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        first -> assertThat(first).startsWith("pyroscope: instances failed (unavailable): " + REFUSED
                                + "; further failures within 60 s are counted"),
                        opened -> assertThat(opened).isEqualTo("pyroscope: circuit open after 10 of the last 10 calls"
                                + " failed, the last: " + REFUSED + "; calls fail at once for 30 s"));
    }

    @Test
    void aRequestTheSourceRejectsIsNeitherRememberedNorLoggedAsTheSourcesFailure() {
        SourceGuard guard = guard();
        failedRead(guard, "SelectSeries: HTTP 400 invalid_argument: bad selector", ProfileSourceException.Kind.REJECTED);

        assertThat(calls).as("a 4xx is not retried").hasValue(1);
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
        assertThat(guard.openReason()).doesNotContain("HTTP 400");
    }

    private Throwable failedReadFor(SourceGuard guard, String application, String message,
                                    ProfileSourceException.Kind kind) {
        Mono<Throwable> read = guard.<Throwable>read("profiles", () -> {
            calls.incrementAndGet();
            return Mono.error(new ProfileSourceException("pyroscope", kind, message));
        });
        return read.onErrorResume(Mono::just).contextWrite(SourceGuard.forApplication(application))
                .block(Duration.ofSeconds(10));
    }

    private String readFor(SourceGuard guard, String application) {
        return guard.read("profiles", () -> Mono.just("ok")).onErrorResume(e -> Mono.just(e.getMessage()))
                .contextWrite(SourceGuard.forApplication(application)).block(Duration.ofSeconds(10));
    }

    /**
     * One application whose profiles are too large (or too slow) to fetch fails every call of its own; that opens
     * its own circuit, not the source's: the other applications' analyses still get their data.
     */
    @Test
    void oneApplicationsUnusableAnswersOpenItsOwnCircuitNotTheSources() {
        SourceGuard guard = guard();
        String tooLarge = "SelectMergeProfile cpu {service_name=\"huge\"}: answer larger than the limit of 67108864 bytes";
        for (int i = 0; i < 12; i++) {
            failedReadFor(guard, "prod/huge", tooLarge, ProfileSourceException.Kind.BAD_RESPONSE);
        }
        for (int i = 0; i < 12; i++) {
            failedReadFor(guard, "prod/huge", "SelectMergeProfile: no answer within 3000 ms",
                    ProfileSourceException.Kind.TIMEOUT);
        }
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(readFor(guard, "prod/shop")).isEqualTo("ok");

        int before = calls.get();
        Throwable refused = failedReadFor(guard, "prod/huge", tooLarge, ProfileSourceException.Kind.BAD_RESPONSE);
        assertThat(calls).as("the application's open circuit refuses without calling").hasValue(before);
        assertThat(refused.getMessage()).contains("unavailable (for application prod/huge: circuit open after")
                .contains("answer larger than the limit");
        assertThat(guard.openReason()).doesNotContain("huge");
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("calls for application prod/huge fail at once"));
    }

    /**
     * A login page or a proxy's page instead of the API is wrong for every application: counted against each
     * application alone, twenty applications each got a call through before the source's circuit could say so.
     */
    @Test
    void aLoginPageInsteadOfTheApiOpensTheSourcesCircuit() {
        SourceGuard guard = guard();
        String page = "SelectMergeProfile: answered with Content-Type text/html, expected application/proto";
        for (int i = 0; i < 12; i++) {
            failedReadFor(guard, "prod/app-" + i, page, ProfileSourceException.Kind.NOT_THE_API);
        }
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(readFor(guard, "prod/other")).contains("unavailable (circuit open after").contains("text/html");
    }

    /** A source that refuses connections is down for everyone: the source's circuit opens, whoever asked. */
    @Test
    void aSourceThatIsDownOpensTheSourcesCircuitForEveryApplication() {
        SourceGuard guard = guard();
        for (int i = 0; i < 4; i++) {
            failedReadFor(guard, "prod/one", REFUSED, ProfileSourceException.Kind.UNAVAILABLE);
        }
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(readFor(guard, "prod/other")).contains("unavailable (circuit open after").contains(REFUSED);
    }

    /**
     * Once the circuit's open time is over it lets a few trial calls through (half-open). One analysis makes far
     * more calls than that, eight at a time: the calls beyond the trials used to fail at once as "circuit open" (the
     * message counting the trials, "1 of the last 8 calls failed"), so the first analysis after a source recovered
     * was INCONCLUSIVE although the source answered every call made. They wait for the trials' outcome instead.
     */
    /**
     * A guard whose circuit {@code failures} refused reads (each tried {@code attempts} times) opened for 200 ms,
     * after that time has passed: the next call may be a half-open trial.
     */
    private SourceGuard openedThenWaitedOut(int attempts, int failures) throws InterruptedException {
        ResilienceProperties shortOpen = new ResilienceProperties(attempts, Duration.ofMillis(1), 2.0, 50, 20, 10,
                Duration.ofMillis(200), 8);
        SourceGuard guard = new SourceGuard("pyroscope", Duration.ofSeconds(5), shortOpen,
                GuardedProfileSource.failures("pyroscope"), new SimpleMeterRegistry());
        for (int i = 0; i < failures; i++) {
            failedRead(guard, REFUSED, ProfileSourceException.Kind.UNAVAILABLE);
        }
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        Thread.sleep(300);
        return guard;
    }

    @Test
    void callsBeyondTheHalfOpenTrialsWaitForTheirOutcomeInsteadOfFailingAsOpen() throws InterruptedException {
        SourceGuard guard = openedThenWaitedOut(3, 4);
        // the source is back; the circuit may try again

        List<String> outcomes = reactor.core.publisher.Flux.range(0, 40)
                .flatMap(i -> guard.read("profiles", () -> Mono.delay(Duration.ofMillis(20)).thenReturn("ok"))
                        .onErrorResume(e -> Mono.just(e.getMessage())), 8)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(outcomes).hasSize(40).allSatisfy(outcome -> assertThat(outcome).isEqualTo("ok"));
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void callsWaitingOnFailingTrialsFailWithTheOpenCircuitsReason() throws InterruptedException {
        SourceGuard guard = openedThenWaitedOut(1, 10);

        List<String> outcomes = reactor.core.publisher.Flux.range(0, 40)
                .flatMap(i -> guard.<String>read("profiles", () -> Mono.delay(Duration.ofMillis(20))
                                .then(Mono.error(new ProfileSourceException("pyroscope",
                                        ProfileSourceException.Kind.UNAVAILABLE, REFUSED))))
                        .onErrorResume(e -> Mono.just(e.getMessage())), 8)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(outcomes).hasSize(40).allSatisfy(outcome -> assertThat(outcome).contains(REFUSED));
        assertThat(outcomes).anySatisfy(outcome -> assertThat(outcome).contains("circuit open"));
        assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
