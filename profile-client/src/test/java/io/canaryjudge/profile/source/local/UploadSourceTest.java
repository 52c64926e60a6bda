package io.canaryjudge.profile.source.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.local.UploadSource.InvalidUploadException;
import io.canaryjudge.profile.source.local.UploadSource.UploadedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Uploads of the shipped example's real recordings: file names say the pod, so pods stay pods. */
class UploadSourceTest {
    private static final Path SHOP = LocalDirectorySourceTest.examples().resolve("shop");
    private static final List<TimeWindow> ANY = List.of(new TimeWindow(Instant.EPOCH, Instant.EPOCH.plusSeconds(60)));

    private static List<UploadedFile> pod(String group, String pod, String as) throws IOException {
        List<UploadedFile> files = new ArrayList<>();
        for (String file : List.of("slice-1.pb.gz", "slice-2.pb.gz", "slice-3.pb.gz", "slice-4.pb.gz", "slice-5.pb.gz",
                "requests.csv")) {
            files.add(new UploadedFile(group, as + "/" + file, Files.readAllBytes(SHOP.resolve(pod).resolve(file))));
        }
        return files;
    }

    @Test
    void instanceSlashFileNamesGroupSlicesIntoPods() throws Exception {
        List<UploadedFile> files = new ArrayList<>();
        files.addAll(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.addAll(pod("baseline", "shop-6d4f8c7b9-w5n3j", "b-2"));
        files.addAll(pod("canary", "shop-7f9b6c5d4-m4q8z", "c-1"));
        // A bare file name is an instance of its own.
        files.add(new UploadedFile("canary", "extra.pb.gz",
                Files.readAllBytes(SHOP.resolve("shop-7f9b6c5d4-r9t2w/slice-1.pb.gz"))));

        UploadSource upload = UploadSource.read(files, ReadOptions.defaults(), null);

        assertThat(upload.instanceSizes("baseline")).containsExactly(
                java.util.Map.entry("b-1", 5), java.util.Map.entry("b-2", 5));
        assertThat(upload.instanceSizes("canary")).containsExactly(
                java.util.Map.entry("c-1", 5), java.util.Map.entry("extra.pb.gz", 1));
        assertThat(upload.instances(UploadSource.selector("shop", "canary"), ProfileType.CPU, ANY.get(0)).block())
                .extracting(SourceInstance::name).containsExactly("c-1", "extra.pb.gz");
        List<SliceProfile> slices = upload.profiles(UploadSource.selector("shop", "baseline"),
                new SourceInstance("b-1", null), ProfileType.CPU, ANY).collectList().block();
        assertThat(slices).hasSize(5).allSatisfy(s -> assertThat(s.requests()).isPositive());
        assertThat(slices.get(0).requests()).isEqualTo(515612L);
        assertThat(upload.instances(UploadSource.selector("shop", "history"), ProfileType.CPU, ANY.get(0)).block())
                .isEmpty();
        assertThat(upload.timeAware()).isFalse();
    }

    @Test
    void filesThatAreNotProfilesAreSkippedAndListed() throws Exception {
        List<UploadedFile> files = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.addAll(pod("canary", "shop-7f9b6c5d4-m4q8z", "c-1"));
        files.add(new UploadedFile("canary", "c-1/README.md", "# notes\n".getBytes(StandardCharsets.UTF_8)));

        UploadSource upload = UploadSource.read(files, ReadOptions.defaults(), null);

        assertThat(upload.uploadSkipped()).singleElement().asString()
                .contains("canary: c-1/README.md").contains("not a profile");
    }

    @Test
    void anInstancesHeapCsvIsItsHeapAfterGcNotASkippedFile() throws Exception {
        List<UploadedFile> files = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.addAll(pod("canary", "shop-7f9b6c5d4-m4q8z", "c-1"));
        files.add(new UploadedFile("canary", "c-1/heap.csv", ("# jvm_start_ms=1764583100000\ntimestamp_ms,heap_after_gc_bytes\n"
                + "1764583160000,83886080\n1764583220000,84213760\n").getBytes(StandardCharsets.UTF_8)));

        UploadSource source = UploadSource.read(files, ReadOptions.defaults(), null);

        assertThat(source.uploadSkipped()).isEmpty();
        assertThat(source.heap(UploadSource.selector("upload", "baseline")).block()).isEmpty();
        var heap = source.heap(UploadSource.selector("upload", "canary")).block();
        assertThat(heap).containsOnlyKeys("c-1");
        assertThat(heap.get("c-1").jvmStartMillis()).isEqualTo(1764583100000L);
        assertThat(heap.get("c-1").heapAfterGcBytes()).containsExactly(83886080, 84213760);
    }

    @Test
    void aBadHeapCsvNamesThePartAndTheLine() throws Exception {
        List<UploadedFile> files = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.addAll(pod("canary", "shop-7f9b6c5d4-m4q8z", "c-1"));
        files.add(new UploadedFile("canary", "c-1/heap.csv",
                "timestamp_ms,heap_after_gc_bytes\n1764583160000,eighty\n".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> UploadSource.read(files, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(UploadSource.InvalidUploadException.class, e -> {
                    assertThat(e.part()).isEqualTo("canary");
                    assertThat(e.getMessage()).isEqualTo("canary: c-1/heap.csv line 2: heap_after_gc_bytes \"eighty\""
                            + " must be a whole number >= 0");
                });
    }

    @Test
    void aGroupWithoutAnyProfileNamesThePart() throws Exception {
        List<UploadedFile> files = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.add(new UploadedFile("canary", "c-1/notes.txt", "hello\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> UploadSource.read(files, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> {
                    assertThat(e.part()).isEqualTo("canary");
                    assertThat(e.getMessage()).contains("none of the 1 canary file(s) is a profile")
                            .contains("c-1/notes.txt");
                });

        List<UploadedFile> onlyBaseline = pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1");
        assertThatThrownBy(() -> UploadSource.read(onlyBaseline, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> {
                    assertThat(e.part()).isEqualTo("canary");
                    assertThat(e.getMessage()).contains("no canary profile uploaded");
                });
    }

    @Test
    void aCorruptProfileABadCsvAndADuplicateAreErrorsNamingTheFile() throws Exception {
        byte[] slice = Files.readAllBytes(SHOP.resolve("shop-7f9b6c5d4-m4q8z/slice-1.pb.gz"));
        List<UploadedFile> corrupt = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        corrupt.add(new UploadedFile("canary", "c-1/slice-1.pb.gz", Arrays.copyOf(slice, slice.length / 2)));
        assertThatThrownBy(() -> UploadSource.read(corrupt, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> {
                    assertThat(e.part()).isEqualTo("canary");
                    assertThat(e.getMessage()).contains("canary: c-1/slice-1.pb.gz").contains("gzip");
                });

        List<UploadedFile> badCsv = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        badCsv.add(new UploadedFile("canary", "c-1/slice-1.pb.gz", slice));
        badCsv.add(new UploadedFile("canary", "c-1/requests.csv",
                "profile,requests\nslice-7.pb.gz,10\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> UploadSource.read(badCsv, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(InvalidUploadException.class, e ->
                        assertThat(e.getMessage()).contains("c-1/requests.csv line 2").contains("slice-7.pb.gz"));

        List<UploadedFile> twice = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        twice.add(new UploadedFile("baseline", "b-1/slice-1.pb.gz", slice));
        assertThatThrownBy(() -> UploadSource.read(twice, ReadOptions.defaults(), null))
                .hasMessageContaining("\"b-1/slice-1.pb.gz\" was sent twice");
    }

    /** A bare file name is an instance of its own, named after the file: messages name it once. */
    @Test
    void aCorruptBareFileIsNamedOnce() throws Exception {
        byte[] slice = Files.readAllBytes(SHOP.resolve("shop-7f9b6c5d4-m4q8z/slice-1.pb.gz"));
        List<UploadedFile> files = new ArrayList<>(pod("baseline", "shop-6d4f8c7b9-k2x7p", "b-1"));
        files.add(new UploadedFile("canary", "trunc.pb.gz", Arrays.copyOf(slice, slice.length / 2)));

        assertThatThrownBy(() -> UploadSource.read(files, ReadOptions.defaults(), null))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> assertThat(e.getMessage())
                        .startsWith("canary: trunc.pb.gz: invalid gzip profile").doesNotContain("trunc.pb.gz/"));
    }

    @Test
    void collapsedUploadsNeedOneProfileType() throws Exception {
        byte[] collapsed = "main;work;hot 40\nmain;work;cold 60\nmain;idle 5\n".getBytes(StandardCharsets.UTF_8);
        List<UploadedFile> files = List.of(new UploadedFile("baseline", "b/1.txt", collapsed),
                new UploadedFile("canary", "c/1.txt", collapsed));
        assertThatThrownBy(() -> UploadSource.read(files, ReadOptions.defaults(), null))
                .isInstanceOf(InvalidUploadException.class).hasMessageContaining("profile type");
        assertThat(UploadSource.read(files, ReadOptions.defaults(), ProfileType.CPU).instanceSizes("canary"))
                .containsEntry("c", 1);
    }
}
