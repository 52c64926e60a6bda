package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the reader against a peer's answer key: for every {@code *_expected_collapsed.txt.gz}
 * that Grafana's jfr-parser (the JFR parser inside Pyroscope) produced for the shared recordings,
 * our stacks and values must equal the peer's once the peer's frames are normalised
 * ({@link FrameNames#normalize}, which drops {@code :line}) and equal stacks merged.
 *
 * <p>Pyroscope keeps new-TLAB and outside-TLAB allocations apart; our {@code alloc_bytes} /
 * {@code alloc_objects} is their sum, so the peer's files of one measure are compared
 * together. Two differences are deliberate and asserted exactly (see {@link #expectedFromPeer}).
 */
class JfrPeerAnswerKeyTest {

    /** What one group of peer files measures, and which of our columns hold it, in the peer's value order. */
    enum Measure {
        CPU(ProfileType.CPU),
        WALL(ProfileType.WALL),
        ALLOCATION(ProfileType.ALLOC_OBJECTS, ProfileType.ALLOC_BYTES),
        LOCK(ProfileType.LOCK_COUNT, ProfileType.LOCK_DELAY);

        final List<ProfileType> columns;

        Measure(ProfileType... columns) {
            this.columns = List.of(columns);
        }

        static Measure ofPeerTypeId(String typeId) {
            if (typeId.startsWith("process_cpu_")) {
                return CPU;
            }
            if (typeId.startsWith("wall_")) {
                return WALL;
            }
            if (typeId.startsWith("memory_alloc_")) {
                return ALLOCATION;
            }
            if (typeId.startsWith("block_") || typeId.startsWith("mutex_")) {
                return LOCK;
            }
            throw new IllegalArgumentException("no column of ours corresponds to peer profile type " + typeId);
        }
    }

    /** The peer files of one recording and measure. */
    record PeerCase(String recording, Measure measure, List<Path> peerFiles) {
        @Override
        public String toString() {
            return recording + " " + measure + " " + peerFiles.stream().map(p -> p.getFileName().toString()
                    .replace(recording + "_", "").replace("_expected_collapsed.txt.gz", "")).toList();
        }
    }

    static List<Path> peerFiles() throws IOException {
        try (Stream<Path> files = Files.list(JfrFixtures.jfrParserDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith("_expected_collapsed.txt.gz")).sorted().toList();
        }
    }

    static List<PeerCase> peerCases() throws IOException {
        Map<String, PeerCase> cases = new TreeMap<>();
        for (Path file : peerFiles()) {
            String name = file.getFileName().toString();
            String recording = recordingOf(name);
            String rest = name.substring(recording.length() + 1, name.length() - "_expected_collapsed.txt.gz".length());
            String typeId = rest.substring(rest.indexOf('_') + 1); // drop the peer's profile number
            Measure measure = Measure.ofPeerTypeId(typeId);
            cases.computeIfAbsent(recording + "/" + measure, k -> new PeerCase(recording, measure, new ArrayList<>()))
                    .peerFiles().add(file);
        }
        return List.copyOf(cases.values());
    }

    /** The longest file-name prefix for which {@code <prefix>.jfr.gz} exists beside the answer. */
    private static String recordingOf(String answerFileName) {
        String best = null;
        for (int i = answerFileName.indexOf('_'); i > 0; i = answerFileName.indexOf('_', i + 1)) {
            String prefix = answerFileName.substring(0, i);
            if (Files.exists(JfrFixtures.jfrParserDir().resolve(prefix + ".jfr.gz"))) {
                best = prefix;
            }
        }
        if (best == null) {
            fail("no recording beside peer answer " + answerFileName);
        }
        return best;
    }

    @Test
    void everyPeerAnswerFileIsCompared() throws IOException {
        List<Path> inCases = peerCases().stream().flatMap(c -> c.peerFiles().stream()).sorted().toList();
        assertThat(inCases).isEqualTo(peerFiles());
        assertThat(inCases).hasSize(14);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peerCases")
    void stacksAndValuesMatchThePeer(PeerCase peerCase) throws Exception {
        Profile profile = JfrFixtures.readOne(JfrFixtures.recording(peerCase.recording()), peerCase.recording());

        Map<String, long[]> peer = new TreeMap<>();
        for (Path file : peerCase.peerFiles()) {
            mergeInto(peer, parsePeer(file, peerCase.measure().columns.size()));
        }
        Map<String, long[]> ours = ourStacks(profile, peerCase.measure());

        assertThat(peer).as("peer answer is not empty").isNotEmpty();
        List<String> onlyOurs = ours.keySet().stream().filter(k -> !peer.containsKey(k)).toList();
        List<String> onlyPeer = peer.keySet().stream().filter(k -> !ours.containsKey(k)).toList();
        assertThat(onlyOurs.size() + onlyPeer.size())
                .as("stacks only we have (%d, first: %s) / only the peer has (%d, first: %s)",
                        onlyOurs.size(), onlyOurs.stream().limit(2).toList(),
                        onlyPeer.size(), onlyPeer.stream().limit(2).toList())
                .isZero();
        for (Map.Entry<String, long[]> entry : peer.entrySet()) {
            long[] expectedLow = expectedFromPeer(peerCase, entry.getValue(), false);
            long[] expectedHigh = expectedFromPeer(peerCase, entry.getValue(), true);
            long[] actual = ours.get(entry.getKey());
            for (int v = 0; v < actual.length; v++) {
                if (leftOut(profile, peerCase.measure().columns.get(v))) {
                    continue; // deliberately not read (see expectedFromPeer)
                }
                assertThat(actual[v]).as("%s value %d of %s", peerCase, v, entry.getKey())
                        .isBetween(expectedLow[v], expectedHigh[v]);
            }
        }
    }

    /**
     * Our value for a stack, derived from the peer's. Equal, except:
     * <ul>
     *   <li><b>dd-trace-java CPU</b>: the recording declares {@code jdk.ExecutionSample#period = 9 ms};
     *       we weigh each sample by the declared period, Pyroscope by the agent's configured rate
     *       (100 Hz, 10 ms, in the peer's test). So ours = peer × 9/10, exactly.</li>
     *   <li><b>dd-trace-java lock delay</b>: the peer reports the raw tick count of
     *       {@code jdk.ThreadPark#duration} as nanoseconds; this recording ticks at 1.8 GHz. We convert
     *       each event to nanoseconds, floored, so ours lies in [floor(ticks·10⁹/f) − events,
     *       floor(ticks·10⁹/f)] — the lower end allows one nanosecond of flooring per event.</li>
     *   <li><b>FastSlow allocation objects</b>: the JDK's throttled {@code jdk.ObjectAllocationSample} events, whose
     *       count the peer gives as {@code alloc_sample_objects}; ours has no alloc_objects for them (samples, not
     *       objects: {@code Profile#leftOutTypes}), so only the bytes are compared.</li>
     * </ul>
     * {@code high} selects the upper or lower end of the allowed range (equal ends mean equality).
     */
    private static long[] expectedFromPeer(PeerCase peerCase, long[] peerValues, boolean high) {
        long[] expected = peerValues.clone();
        if (peerCase.recording().equals("dd-trace-java")) {
            if (peerCase.measure() == Measure.CPU) {
                expected[0] = peerValues[0] / 10_000_000L * 9_000_000L;
                assertThat(peerValues[0] % 10_000_000L).isZero();
            } else if (peerCase.measure() == Measure.LOCK) {
                long ticksPerSecond = 1_800_000_000L;
                long nanos = BigInteger.valueOf(peerValues[1]).multiply(BigInteger.valueOf(1_000_000_000L))
                        .divide(BigInteger.valueOf(ticksPerSecond)).longValueExact();
                expected[1] = high ? nanos : nanos - peerValues[0];
            }
        }
        return expected;
    }

    /** Our stacks of one measure, root first, as normalised names joined by ';', all-zero stacks left out. */
    static Map<String, long[]> ourStacks(Profile profile, Measure measure) {
        int[] columns = measure.columns.stream().mapToInt(profile::sampleTypeIndex).toArray();
        for (int i = 0; i < columns.length; i++) {
            if (!leftOut(profile, measure.columns.get(i))) {
                assertThat(columns[i]).as("profile has a %s column", measure.columns.get(i)).isNotNegative();
            }
        }
        Map<String, long[]> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            long[] values = new long[columns.length];
            boolean any = false;
            for (int i = 0; i < columns.length; i++) {
                values[i] = columns[i] < 0 ? 0 : profile.value(s, columns[i]);
                any |= values[i] != 0;
            }
            if (!any) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                names.add(profile.functionName(profile.stackFunction(s, d)));
            }
            mergeInto(stacks, Map.of(String.join(";", names), values));
        }
        return stacks;
    }

    /**
     * Whether the reader left {@code type} out of the profile by design: only the JDK's throttled allocation samples'
     * object counts, which this test expects of FastSlow alone.
     */
    private static boolean leftOut(Profile profile, ProfileType type) {
        boolean leftOut = profile.sampleTypeIndex(type) < 0 && profile.leftOutTypes().containsKey(type);
        if (leftOut) {
            assertThat(profile.source()).as("left out %s", type).startsWith("FastSlow");
            assertThat(profile.leftOutTypes().get(type)).contains("jdk.ObjectAllocationSample");
        }
        return leftOut;
    }

    /** Peer lines {@code frame;frame;leaf [v1 v2]}, frames normalised, equal stacks merged. */
    static Map<String, long[]> parsePeer(Path file, int valueCount) {
        String text = new String(JfrFixtures.gunzip(file), StandardCharsets.UTF_8);
        Map<String, long[]> stacks = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int open = line.lastIndexOf(" [");
            assertThat(open).as("value in line %s", line).isPositive();
            long[] values = Arrays.stream(line.substring(open + 2, line.length() - 1).trim().split(" "))
                    .mapToLong(Long::parseLong).toArray();
            assertThat(values).as("values in %s", line).hasSize(valueCount);
            String stack = Arrays.stream(line.substring(0, open).split(";"))
                    .map(FrameNames::normalize).collect(Collectors.joining(";"));
            mergeInto(stacks, Map.of(stack, values));
        }
        return stacks;
    }

    private static void mergeInto(Map<String, long[]> target, Map<String, long[]> source) {
        source.forEach((stack, values) -> target.merge(stack, values.clone(), (a, b) -> {
            long[] sum = a.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            return sum;
        }));
    }
}
