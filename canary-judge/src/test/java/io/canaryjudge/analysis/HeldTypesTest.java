package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.TypesHeld;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.source.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When what the source holds replaces a request's default types: only defaults, only with cpu held by neither group
 * as the source reads it, cpu read from another producer's series where a group holds it there (qa96), else wall in
 * cpu's place where either holds wall; the service test over real HTTP is qa82.NodeThroughServiceTest.
 */
class HeldTypesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:10:00Z"), ZoneOffset.UTC);
    static final TypesHeld NODE = TypesHeld.of(Set.of(ProfileType.WALL, ProfileType.LIVE_BYTES));
    static final TypesHeld JVM = TypesHeld.of(Set.of(ProfileType.CPU, ProfileType.WALL, ProfileType.ALLOC_BYTES));
    static final TypesHeld NONE = TypesHeld.of(Set.of());
    /** A Node service with collectCpuTime under the Java agent's mapping (qa96). */
    static final TypesHeld NODE_WITH_CPU = new TypesHeld(Set.of(ProfileType.WALL),
            Map.of(ProfileType.CPU, List.of(PyroscopeProfileTypes.NODE_CPU)));

    @Test
    void wallTakesCpusPlaceWhenNeitherGroupHoldsCpu() {
        HeldTypes.Choice choice = HeldTypes.choose(request(true), "pyroscope", NODE, NODE);

        assertThat(choice.request().profileTypes()).containsExactly(ProfileType.WALL, ProfileType.ALLOC_BYTES);
        assertThat(choice.request().typesDefaulted()).isFalse();
        assertThat(choice.warnings()).singleElement().asString().startsWith("profile types: the request named none");
    }

    @Test
    void wallInOneGroupIsEnoughWhenTheOtherHoldsNothing() {
        assertThat(HeldTypes.choose(request(true), "pyroscope", NONE, NODE).request().profileTypes())
                .contains(ProfileType.WALL);
    }

    @Test
    void cpuInEitherGroupKeepsTheDefaults() {
        AnalysisRequest request = request(true);

        assertThat(HeldTypes.choose(request, "pyroscope", JVM, JVM).request()).isSameAs(request);
        assertThat(HeldTypes.choose(request, "pyroscope", NODE, JVM).request()).isSameAs(request);
        assertThat(HeldTypes.choose(request, "pyroscope", NONE, NONE).request()).isSameAs(request);
    }

    /** qa96: before, wall took cpu's place here and reported only (its profiles say CPU time was collected). */
    @Test
    void cpuIsReadFromTheSeriesEitherGroupHoldsItInWithWallBeside() {
        HeldTypes.Choice choice = HeldTypes.choose(request(true), "pyroscope", NODE_WITH_CPU, NODE_WITH_CPU);

        assertThat(choice.request().profileTypes())
                .containsExactly(ProfileType.CPU, ProfileType.WALL, ProfileType.ALLOC_BYTES);
        assertThat(choice.cpuSeries()).containsExactly(PyroscopeProfileTypes.NODE_CPU);
        assertThat(choice.warnings()).singleElement().asString().startsWith("profile types: the request named none")
                .contains(PyroscopeProfileTypes.NODE_CPU);
        assertThat(HeldTypes.choose(request(true), "pyroscope", NONE, NODE_WITH_CPU).cpuSeries())
                .containsExactly(PyroscopeProfileTypes.NODE_CPU);
        // cpu held as the source reads it, or a request naming its types: as before
        assertThat(HeldTypes.choose(request(true), "pyroscope", JVM, NODE_WITH_CPU).cpuSeries()).isEmpty();
        assertThat(HeldTypes.choose(request(false), "pyroscope", NODE_WITH_CPU, NODE_WITH_CPU).cpuSeries()).isEmpty();
    }

    @Test
    void namedTypesAreNeverReplaced() {
        AnalysisRequest request = request(false);

        HeldTypes.Choice choice = HeldTypes.choose(request, "pyroscope", NODE, NODE);

        assertThat(choice.request()).isSameAs(request);
        assertThat(choice.warnings()).isEmpty();
    }

    private static AnalysisRequest request(boolean defaulted) {
        AnalysisProperties settings = AnalysisProperties.defaults();
        AnalysisConfig config = AnalysisConfig.defaults(settings, FlaggerProperties.defaults(), PrometheusProperties.defaults());
        return new AnalysisRequest("shop", null, group("base"), group("canary"), null,
                new TimeWindow(Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:07:00Z")),
                List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES), config, Deadline.after(Duration.ofSeconds(30), CLOCK),
                "http://judge.test", List.of(), defaulted);
    }

    private static ProfileSelector group(String hash) {
        return new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", hash)));
    }
}
