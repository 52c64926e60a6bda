package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.noise.InvalidLearnedNoiseException;
import io.canaryjudge.noise.LearnedNoiseJson;
import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.verdict.Measure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a verdict teaches is what the store reads back. In a 35-minute soak of the service on PostgreSQL (qa47,
 * docs/BENCHMARKS.md "Soak (qa47)") one analysis of a shop application taught its alloc_bytes functions pod variances
 * of -64 to -440 (sampling, times an overdispersion inflated in that window, swamping a 2-pod baseline's spread); the
 * store's reader refuses anything beyond ±100 as a hand-edited value, so the service's row was "damaged": its 376
 * later analyses in the soak warned and none taught, until someone deletes the row. A lesson now leaves them out.
 */
class LessonBoundsTest {
    private static final Path SHOP = SharedFixtures.projectRoot().resolve("examples/profiles/shop");

    @Test
    void aLessonLeavesOutEstimatesThatSamplingSwampsAndReadsBack() throws Exception {
        List<Observation> baseline = new ArrayList<>(pod("shop-6d4f8c7b9-k2x7p"));
        baseline.addAll(pod("shop-6d4f8c7b9-w5n3j"));
        List<Observation> canary = new ArrayList<>(pod("shop-7f9b6c5d4-m4q8z"));
        canary.addAll(pod("shop-7f9b6c5d4-r9t2w"));
        TypeContext context = TypeContext.build(ProfileType.ALLOC_BYTES, baseline, canary, List.of(), new ArrayList<>());
        TypeAnalysis analysis = new TypeAnalysis(context, JudgeConfig.defaults(), LearnedNoise.empty());
        analysis.run();
        MeasureData data = analysis.selfData();

        // The recorded pods' own overdispersion teaches small spreads, all kept.
        LearnedNoise.Entry[] typical = NoiseModel.baselineSpread(data, 1.0);
        assertThat(Stream.of(typical).filter(e -> e != null).count()).isGreaterThan(10);
        // The soak's window: its lesson gave OrderSerializer.toJson -376 where these pods' spread is 0.038 and their
        // relative sampling scale 2.6e-8, i.e. an overdispersion of about 1.5e10 (-376 = 0.038 - 1.5e10 * 2.6e-8).
        LearnedNoise.Entry[] swamped = NoiseModel.baselineSpread(data, 1.5e10);
        int kept = 0;
        Map<LearnedNoise.Key, LearnedNoise.Entry> entries = new HashMap<>();
        for (int c = 0; c < swamped.length; c++) {
            if (swamped[c] != null) {
                assertThat(Math.abs(swamped[c].podVariance())).isLessThanOrEqualTo(LearnedNoise.MAX_POD_VARIANCE);
                entries.put(new LearnedNoise.Key(ProfileType.ALLOC_BYTES, Measure.SELF,
                        context.functionNames[data.candidates[c]]), swamped[c]);
                kept++;
            }
        }
        assertThat(kept).as("functions whose spread stays measurable are still taught").isLessThan(
                (int) Stream.of(typical).filter(e -> e != null).count());
        NoiseLessons lessons = NoiseLessons.empty().with(new NoiseLessons.Lesson(
                Set.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j"), new LearnedNoise(entries, 1)));
        assertThat(LearnedNoiseJson.read(LearnedNoiseJson.write(lessons))).isEqualTo(lessons);
    }

    private static List<Observation> pod(String name) throws Exception {
        List<Path> slices;
        try (Stream<Path> list = Files.list(SHOP.resolve(name))) {
            slices = list.filter(p -> p.getFileName().toString().endsWith(".pb.gz")).sorted().toList();
        }
        List<Observation> observations = new ArrayList<>();
        for (Path slice : slices) {
            for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                observations.add(new Observation(name, profile));
            }
        }
        return observations;
    }
}
