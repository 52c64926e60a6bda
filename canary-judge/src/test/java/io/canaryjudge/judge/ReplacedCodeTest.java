package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.eval.ProfileEdits;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Code renamed or rewritten at the same cost is not a new hot path; code that costs more than what it replaced,
 * or that is added beside unchanged code, still is. Real async-profiler recordings of the shop service
 * (3 baseline JVMs of session 1, the 3 A/A canary JVMs recorded beside them), with the canary's frames renamed
 * as a release that renames a method would show them.
 */
class ReplacedCodeTest {
    private static final String SHOP = "io.canaryjudge.scenario.shop.";
    private static final String HANDLER = "java.lang.Thread.run;" + SHOP + "ShopWorker.run;" + SHOP + "ShopRequestHandler.handle";

    private static List<Observation> baseline;
    private static List<Observation> canary;
    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults();

    @BeforeAll
    static void read() throws Exception {
        Path scenarios = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/scenarios");
        baseline = observations(scenarios.resolve("baselines/session-1"), "b");
        canary = observations(scenarios.resolve("aa/canary"), "c");
    }

    @Test
    void aMethodRenamedInTheCanaryIsNotANewHotPath() {
        Verdict same = judge.judge(baseline, canary, config);
        assertThat(same.result()).as(same.summary()).isEqualTo(Result.PASS);

        List<Observation> renamed = transform(canary, ReplacedCodeTest::renamed, null, 1.0, null, 0);
        Verdict verdict = judge.judge(baseline, renamed, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
        Finding digest = finding(verdict, SHOP + "OrderHasher.digest");
        assertThat(digest.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(digest.failing()).isFalse();
        assertThat(digest.explanation()).contains("took the place of `" + SHOP + "OrderHasher.fingerprint`")
                .contains("under the same caller `" + SHOP + "ShopRequestHandler.handle`");
        Finding cents = finding(verdict, SHOP + "OrderSerializer.writeCents");
        assertThat(cents.failing()).isFalse();
        assertThat(cents.explanation()).contains("took the place of `" + SHOP + "OrderSerializer.appendCents`");

        // An incident of vanished code names what vanished, not the entry frame above it that still runs
        // (here `java.util.HashMap.hash`, inlined in the canary JVMs, under `ProductCatalog.lookup`).
        List<String> vanished = verdict.findings().stream().filter(f -> f.kind() == FindingKind.VANISHED)
                .map(Finding::function).toList();
        List<Incident> goneIncidents = verdict.incidents().stream().filter(i -> i.kind() == FindingKind.VANISHED).toList();
        assertThat(goneIncidents).isNotEmpty();
        for (Incident incident : goneIncidents) {
            String named = incident.summary().replaceFirst("^`([^`]+)` gone.*$", "$1");
            assertThat(vanished).as(incident.summary()).contains(named);
        }
    }

    @Test
    void aRenamedMethodThatCostsAThirdMoreFailsAsItWouldUnderItsOldName() {
        Verdict unrenamed = judge.judge(baseline,
                transform(canary, UnaryOperator.identity(), SHOP + "OrderHasher.fingerprint", 1.3, null, 0), config);
        assertThat(unrenamed.result()).as(unrenamed.summary()).isEqualTo(Result.FAIL);

        List<Observation> slower = transform(canary, ReplacedCodeTest::renamed, SHOP + "OrderHasher.digest", 1.3, null, 0);
        Verdict verdict = judge.judge(baseline, slower, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo(SHOP + "OrderHasher.digest");
        assertThat(first.failing()).isTrue();
        assertThat(first.explanation()).contains("Renamed or rewritten code that costs more")
                .contains("took the place of `" + SHOP + "OrderHasher.fingerprint`");
    }

    @Test
    void codeMovedOutOfAMethodIntoANewCalleeAtTheSameCostIsNotANewHotPath() {
        // A JDK or library release that extracts a method's loop into a helper: JDK 25's StringLatin1.hashCode calls
        // ArraysSupport.hashCodeOfUnsigned for what JDK 17 ran in its own frame. Nothing under the caller is gone —
        // its own cost is what the new callee took — so the rename rule alone saw a new hot path and FAILed.
        String fingerprint = SHOP + "OrderHasher.fingerprint";
        String mix = SHOP + "OrderHasher.mix";
        Verdict verdict = judge.judge(baseline, extracted(canary, fingerprint, mix, 1.0), config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
        Finding moved = finding(verdict, mix);
        assertThat(moved.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(moved.failing()).isFalse();
        assertThat(moved.explanation()).contains("its caller `" + fingerprint + "`'s own cost")
                .contains("Not counted as a regression");
    }

    @Test
    void codeMovedIntoANewCalleeThatCostsAThirdMoreStillFails() {
        String fingerprint = SHOP + "OrderHasher.fingerprint";
        Verdict verdict = judge.judge(baseline, extracted(canary, fingerprint, SHOP + "OrderHasher.mix", 1.3), config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding mix = finding(verdict, SHOP + "OrderHasher.mix");
        assertThat(mix.failing()).isTrue();
        assertThat(mix.explanation()).contains("Renamed or rewritten code that costs more")
                .contains("its caller `" + fingerprint + "`'s own cost");
    }

    @Test
    void codeAddedBesideUnchangedCodeStillFails() {
        // 1 % of CPU in a new step under the handler; nothing under the handler is gone.
        String audit = HANDLER + ";" + SHOP + "AuditTrail.snapshot";
        Verdict verdict = judge.judge(baseline, transform(canary, UnaryOperator.identity(), null, 1.0, audit, 0.01), config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo(SHOP + "AuditTrail.snapshot");
        assertThat(first.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(first.explanation()).doesNotContain("took the place of");
    }

    private static String renamed(String frame) {
        return frame.replace("OrderHasher.fingerprint", "OrderHasher.digest")
                .replace("OrderSerializer.appendCents", "OrderSerializer.writeCents");
    }

    private static Finding finding(Verdict verdict, String function) {
        return verdict.findings().stream().filter(f -> f.function().equals(function)).findFirst().orElseThrow(
                () -> new AssertionError(function + " not among the findings: " + verdict.summary()));
    }

    private static List<Observation> observations(Path side, String prefix) throws Exception {
        List<Observation> observations = new ArrayList<>();
        List<Path> pods;
        try (Stream<Path> list = Files.list(side)) {
            pods = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path pod : pods) {
            List<Path> slices;
            try (Stream<Path> list = Files.list(pod)) {
                slices = list.filter(p -> p.getFileName().toString().startsWith("slice-")).sorted().toList();
            }
            for (Path slice : slices) {
                for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                    observations.add(new Observation(prefix + "-" + pod.getFileName(), profile, null));
                }
            }
        }
        return observations;
    }

    /** {@link ProfileEdits#extracted} of every observation's profile. */
    private static List<Observation> extracted(List<Observation> observations, String from, String into, double factor) {
        List<Observation> out = new ArrayList<>();
        for (Observation o : observations) {
            out.add(new Observation(o.instance(), ProfileEdits.extracted(o.profile(), from, into, factor), o.requests()));
        }
        return out;
    }

    /** {@link ProfileEdits#edited} of every observation's profile. */
    private static List<Observation> transform(List<Observation> observations, UnaryOperator<String> rename,
                                               String scaledFrame, double factor, String addedPath, double addedShare) {
        List<Observation> out = new ArrayList<>();
        for (Observation o : observations) {
            out.add(new Observation(o.instance(), ProfileEdits.edited(o.profile(), rename, scaledFrame, factor, addedPath,
                    addedShare), o.requests()));
        }
        return out;
    }
}
