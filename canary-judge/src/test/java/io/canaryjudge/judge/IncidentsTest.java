package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incidents on synthetic profiles whose truth is known: the service of {@link SyntheticService}
 * (120 functions under {@code com.shop.Handler.route*}) plus the stacks a test adds to one side.
 */
class IncidentsTest {
    private static final String ROOT = "java.lang.Thread.run;com.shop.Handler.route1";
    private static final String AUDIT = ROOT + ";com.shop.AuditTrail.serializeSnapshot";
    private static final String WRITE = AUDIT + ";tools.jackson.databind.ObjectMapper.writeValueAsString"
            + ";tools.jackson.databind.ser.BeanSerializer.serialize";
    private static final String LIST = WRITE + ";tools.jackson.databind.ser.jdk.IndexedListSerializer.serializeContentsUsing";
    private static final String STRING = LIST + ";tools.jackson.core.json.UTF8JsonGenerator.writeString";

    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults();

    /** The example: a new audit step serialising with Jackson, 25+ failing Jackson and JDK rows before. */
    @Test
    void newJacksonPathIsOneIncidentAtTheApplicationMethod() {
        Map<String, Double> jackson = new LinkedHashMap<>();
        jackson.put(AUDIT, 0.004);
        jackson.put(WRITE, 0.008);
        jackson.put(LIST, 0.012);
        jackson.put(STRING, 0.02);
        jackson.put(STRING + ";java.lang.String.charAt", 0.008);
        // Jackson calls the record's accessor back: application code under the library.
        jackson.put(WRITE + ";tools.jackson.databind.ser.BeanPropertyWriter.serializeAsProperty;com.shop.AuditSnapshot.customerId",
                0.003);
        SyntheticService service = new SyntheticService(120, 21);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, jackson);

        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        List<Incident> failing = verdict.incidents().stream().filter(Incident::failing).toList();
        assertThat(failing).as(verdict.summary()).hasSize(1);
        Incident incident = failing.get(0);
        assertThat(incident.entryFrame()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(incident.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(incident.measure()).isEqualTo(Measure.INCLUSIVE);
        assertThat(incident.baseline()).isLessThan(0.0005);
        assertThat(incident.canary()).isBetween(0.045, 0.07);
        assertThat(incident.callPath()).containsExactly("java.lang.Thread.run", "com.shop.Handler.route1",
                "com.shop.AuditTrail.serializeSnapshot");
        assertThat(incident.detail()).startsWith("Below it: Jackson +");
        assertThat(incident.summary()).startsWith("new hot path under `com.shop.AuditTrail.serializeSnapshot`, ")
                .endsWith("mostly Jackson");
        assertThat(verdict.summary()).startsWith("FAIL: new hot path under `com.shop.AuditTrail.serializeSnapshot`");
        // Every failing row is part of it: the Jackson and JDK frames below, and the accessor Jackson calls back.
        assertThat(verdict.findings().stream().filter(Finding::failing).map(Finding::function))
                .allMatch(incident.functions()::contains);
        assertThat(incident.functions()).contains("tools.jackson.core.json.UTF8JsonGenerator.writeString");
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(first.failing()).isTrue();
        assertThat(first.entryFrame()).isTrue();
    }

    /**
     * A JDK helper called from several application methods rises because one of them calls it more:
     * the incident is at that method, not at the helper and not at its hottest caller.
     */
    @Test
    void riseInAJdkHelperIsNamedAtTheApplicationMethodThatCallsItMore() {
        String a = "java.lang.Thread.run;com.shop.Session.current";
        String b = "java.lang.Thread.run;com.shop.Metrics.record";
        String c = "java.lang.Thread.run;com.shop.Tax.rate";
        String get = ";java.lang.ThreadLocal.get";
        // Tax.rate's calls grow by 2 points of CPU, Session.current's (the hottest path) by 1.
        Map<String, Double> before = Map.of(a + get, 0.03, b + get, 0.01, c + get, 0.005, c, 0.5);
        Map<String, Double> after = Map.of(a + get, 0.04, b + get, 0.01, c + get, 0.025, c, 0.5);
        SyntheticService service = new SyntheticService(120, 5);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, before);
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, after);

        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding helper = verdict.findings().stream().filter(f -> f.function().equals("java.lang.ThreadLocal.get"))
                .findFirst().orElseThrow();
        assertThat(helper.failing()).isTrue();
        assertThat(helper.callPath()).as("its hottest path runs through another caller")
                .contains("com.shop.Session.current");
        Incident lead = verdict.incidents().get(0);
        assertThat(lead.entryFrame()).isEqualTo("com.shop.Tax.rate");
        assertThat(lead.functions()).contains("java.lang.ThreadLocal.get");
        assertThat(lead.detail()).contains("java.lang +").contains("`java.lang.ThreadLocal.get`");
        assertThat(verdict.summary()).startsWith("FAIL: `com.shop.Tax.rate` +");
    }

    /**
     * The entry frame's own inclusive change (+4 % of a large method) is no finding by itself: a row is
     * added for it, marked, first, so consumers reading only findings name the same culprit.
     */
    @Test
    void firstFailingFindingIsTheLeadIncidentsEntryFrame() {
        String c = "java.lang.Thread.run;com.shop.Tax.rate";
        Map<String, Double> before = Map.of(c, 0.5, c + ";java.lang.ThreadLocal.get", 0.005);
        Map<String, Double> after = Map.of(c, 0.5, c + ";java.lang.ThreadLocal.get", 0.025);
        SyntheticService service = new SyntheticService(120, 8);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, before);
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, after);

        Verdict verdict = judge.judge(baseline, canary, config);
        Verdict withoutIncidents = judgeWithoutEntryRow(verdict);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(withoutIncidents.findings()).as("no finding of the method's own").noneMatch(f -> f.function().equals(
                "com.shop.Tax.rate"));
        Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElseThrow();
        assertThat(first.function()).isEqualTo(verdict.incidents().get(0).entryFrame()).isEqualTo("com.shop.Tax.rate");
        assertThat(first.entryFrame()).isTrue();
        assertThat(first.measure()).isEqualTo(Measure.INCLUSIVE);
        assertThat(first.explanation()).startsWith("Entry frame of a failing change: `com.shop.Tax.rate` +")
                .contains("Added to name it");
        assertThat(first.callPath()).endsWith("com.shop.Tax.rate");
        assertThat(verdict.findings()).hasSize(withoutIncidents.findings().size() + 1);

        JsonNode json = JsonMapper.builder().build().readTree(new VerdictJson().render(verdict));
        assertThat(json.get("findings").get(0).get("function").asString())
                .isEqualTo(json.get("incidents").get(0).get("entryFrame").asString());
        assertThat(json.get("findings").get(0).get("entryFrame").asBoolean()).isTrue();
    }

    /** The findings that are not entry-frame rows added for an incident. */
    private static Verdict judgeWithoutEntryRow(Verdict verdict) {
        List<Finding> own = verdict.findings().stream()
                .filter(f -> !(f.entryFrame() && f.explanation().contains("Added to name it"))).toList();
        return new Verdict(null, verdict.result(), verdict.pass(), verdict.score(), verdict.summary(), own, List.of(),
                verdict.dataQuality(), null);
    }

    /**
     * Native code the application ships (snappy-java's JNI library) got slower: it is the service's work, so it
     * FAILs, named at the application method that calls into it, with the native function below it.
     */
    @Test
    void jniLibraryOfTheApplicationCanBeTheCulprit() {
        String jni = "java.lang.Thread.run;com.shop.Archive.compress;org.xerial.snappy.Snappy.compress"
                + ";snappy-1.1.8-libsnappyjava.so.Java_org_xerial_snappy_SnappyNative_rawCompress";
        String fragment = jni + ";snappy-1.1.8-libsnappyjava.so.snappy::internal::CompressFragment";
        SyntheticService service = new SyntheticService(120, 13);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2,
                Map.of(jni, 0.004, fragment, 0.034));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2,
                Map.of(jni, 0.004, fragment, 0.068));

        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding native_ = verdict.findings().stream()
                .filter(f -> f.function().endsWith("snappy::internal::CompressFragment")).findFirst().orElseThrow();
        assertThat(native_.jvmInternal()).as("not operating-system work").isFalse();
        assertThat(native_.failing()).isTrue();
        Incident lead = verdict.incidents().get(0);
        assertThat(lead.failing()).isTrue();
        assertThat(lead.entryFrame()).isEqualTo("com.shop.Archive.compress");
        assertThat(lead.functions()).contains("snappy-1.1.8-libsnappyjava.so.snappy::internal::CompressFragment");
        assertThat(verdict.findings().get(0).function()).isEqualTo(lead.entryFrame());
    }

    /** async-profiler's own lock hook doubled (a profiler setting): reported apart, never the culprit. */
    @Test
    void profilerFramesAreNeverTheCulprit() {
        String park = "java.lang.Thread.run;com.shop.Queue.take;java.util.concurrent.locks.LockSupport.park"
                + ";jdk.internal.misc.Unsafe.park";
        String hook = park + ";libasyncProfiler.so.LockTracer::UnsafeParkHook";
        SyntheticService service = new SyntheticService(120, 17);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(park, 0.002, hook, 0.01));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(park, 0.002, hook, 0.03));

        for (JudgeConfig c : List.of(config, config.withFailOnJvmInternal(true))) {
            Verdict verdict = judge.judge(baseline, canary, c);

            assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
            Finding hookFinding = verdict.findings().stream()
                    .filter(f -> f.function().equals("libasyncProfiler.so.LockTracer::UnsafeParkHook"))
                    .findFirst().orElseThrow();
            assertThat(hookFinding.kind()).isEqualTo(FindingKind.REGRESSION);
            assertThat(hookFinding.failing()).isFalse();
            assertThat(hookFinding.jvmInternal()).isTrue();
            assertThat(hookFinding.explanation()).contains("profiler's own work");
            assertThat(verdict.incidents()).anyMatch(i -> !i.failing()
                    && i.entryFrame().equals("libasyncProfiler.so.LockTracer::UnsafeParkHook")
                    && i.summary().startsWith("the profiler's own work"));
            assertThat(verdict.incidents()).noneMatch(Incident::failing);
        }
    }

    /** A JIT compiler thread's extra work in a young canary is a JVM incident, apart from code. */
    @Test
    void jvmWorkIsAnIncidentOfItsOwn() {
        String jit = "thread_start;CompileBroker::compiler_thread_loop;C2Compiler::compile_method";
        SyntheticService service = new SyntheticService(120, 9);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(jit, 0.01));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(jit, 0.05));

        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.PASS);
        Incident jvm = verdict.incidents().get(0);
        assertThat(jvm.failing()).isFalse();
        assertThat(jvm.entryFrame()).isEqualTo("C2Compiler::compile_method");
        assertThat(jvm.summary()).startsWith("JVM work (JIT compilation): `C2Compiler::compile_method` +");
        assertThat(jvm.functions()).contains("CompileBroker::compiler_thread_loop");
        assertThat(verdict.summary()).contains("the largest: JVM work (JIT compilation)");
    }

    @Test
    void improvementIsANonFailingIncident() {
        SyntheticService service = new SyntheticService(120, 100);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.withChange(0, -0.43), 3, 5, 20_000, 0.05, 2,
                SyntheticService.none());

        Verdict verdict = judge.judge(baseline, canary, config);

        Incident improvement = verdict.incidents().stream().filter(i -> i.entryFrame().equals(service.functions[0]))
                .findFirst().orElseThrow();
        assertThat(improvement.kind()).isEqualTo(FindingKind.IMPROVEMENT);
        assertThat(improvement.failing()).isFalse();
        assertThat(improvement.relativeChange()).isBetween(-0.6, -0.25);
        assertThat(improvement.ciHigh()).isLessThan(0);
        assertThat(improvement.summary()).startsWith("`" + service.functions[0] + "` -").doesNotContain("new hot path");
    }

    /** Names from a hostile or broken profile end up in incidents as they are, and never break the judge. */
    @Test
    void oddFrameNamesStillFormIncidents() {
        String evil = "com.shop.`Evil`|<b>x</b>\nnext.run";
        String huge = "com.shop." + "x".repeat(5_000) + ".run";
        String odd = "java.lang.Thread.run;" + evil + ";" + huge;
        SyntheticService service = new SyntheticService(120, 31);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(odd, 0.05));

        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(verdict.incidents().get(0).failing()).isTrue();
        // Both frames are new code: the incident is at the top-most, where the new code is called.
        assertThat(verdict.incidents().get(0).entryFrame()).isEqualTo(evil);
        assertThat(verdict.incidents().get(0).functions()).contains(huge);
        assertThat(verdict.findings().get(0).function()).isEqualTo(verdict.incidents().get(0).entryFrame());
    }
}
