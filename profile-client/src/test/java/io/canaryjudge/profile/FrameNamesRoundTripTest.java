package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Normalised names must survive being normalised again: {@code collapse} writes normalised names,
 * and reading that output back (or comparing it with another tool's) normalises them once more.
 * Checked on every function of real recordings: the production fixtures and one async-profiler
 * recording made here (JDK 17 lambdas, C++ template frames of HotSpot).
 */
class FrameNamesRoundTripTest {

    @Test
    void normalisedNamesOfRealRecordingsAreStable() throws Exception {
        List<Path> files = new ArrayList<>(SharedFixtures.files("jfr-parser", ".jfr.gz"));
        files.add(WorkloadRecording.shared().jfr());
        int checked = 0;
        for (Path file : files) {
            for (Profile profile : ProfileFiles.read(file, ReadOptions.defaults())) {
                for (int f = 0; f < profile.functionCount(); f++) {
                    String name = profile.functionName(f);
                    assertThat(FrameNames.normalize(name)).as("%s, normalised again (from %s)", name, file)
                            .isEqualTo(name);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void lambdaMethodNamesKeepTheirFirstLetters() {
        assertThat(FrameNames.normalize("org/junit/Node$$Lambda$412/0x0000000800d3e4a8.accept"))
                .isEqualTo("org.junit.Node$$Lambda.accept");
        assertThat(FrameNames.normalize("org.junit.Node$$Lambda.accept")).isEqualTo("org.junit.Node$$Lambda.accept");
        assertThat(FrameNames.normalize("org.junit.Node$$Lambda.execute")).isEqualTo("org.junit.Node$$Lambda.execute");
    }

    /**
     * Names seen in real recordings: snappy-java's library in the production fixture
     * ({@code async-profiler.jfr.gz} and jfr-parser's answer key for it), and async-profiler's own library in two recordings made here
     * by two JVMs. The same code must get the same name in every JVM.
     */
    @Test
    void nativeLibrariesExtractedPerRunGetOneName() {
        assertThat(FrameNames.normalize("snappy-1.1.8-d1f9bd24-4cc8-4571-b71c-1698b83f1af1-libsnappyjava.so"
                + ".Java_org_xerial_snappy_SnappyNative_uncompressedLength__Ljava_lang_Object_2II:0"))
                .isEqualTo("snappy-1.1.8-libsnappyjava.so"
                        + ".Java_org_xerial_snappy_SnappyNative_uncompressedLength__Ljava_lang_Object_2II");
        assertThat(FrameNames.normalize("./tmp/snappy-1.1.8-d1f9bd24-4cc8-4571-b71c-1698b83f1af1-libsnappyjava.so:0"))
                .isEqualTo("./tmp/snappy-1.1.8-libsnappyjava.so");
        assertThat(FrameNames.normalize("libasyncProfiler-10950710338813627510.so.Profiler::recordSample"))
                .isEqualTo(FrameNames.normalize("libasyncProfiler-11844927732592259823.so.Profiler::recordSample"))
                .isEqualTo("libasyncProfiler.so.Profiler::recordSample");
        assertThat(FrameNames.normalize("libc-2.31.so.__memcpy_avx_unaligned_erms"))
                .isEqualTo("libc-2.31.so.__memcpy_avx_unaligned_erms");
    }

    /**
     * Kotlin's backticked method names may hold spaces; JFR spells the class with slashes and async-profiler's
     * collapsed output with dots, and both must give one name. Native names with a slash and a space stay as
     * they are.
     */
    @Test
    void methodNamesWithSpacesGetDottedClassesAsOtherJavaFrames() {
        assertThat(FrameNames.normalize("com/example/OrderTest.checkout applies discount"))
                .isEqualTo(FrameNames.normalize("com.example.OrderTest.checkout applies discount_[j]"))
                .isEqualTo("com.example.OrderTest.checkout applies discount");
        assertThat(FrameNames.normalize("com/example/Order$Test.given an empty cart, total is 0:42"))
                .isEqualTo("com.example.Order$Test.given an empty cart, total is 0");
        assertThat(FrameNames.normalize("I2C/C2I adapters")).isEqualTo("I2C/C2I adapters");
        assertThat(FrameNames.normalize("com/example/Order Test.run")).as("a space in the class: not a Java name")
                .isEqualTo("com/example/Order Test.run");
    }

    @Test
    void cppTemplateArgumentsInParenthesesAreKept() {
        assertThat(FrameNames.normalize("libjvm.so.G1ParCopyClosure<(G1Barrier)1, false>::do_oop(narrowOop*)"))
                .isEqualTo("libjvm.so.G1ParCopyClosure<(G1Barrier)1, false>::do_oop");
        assertThat(FrameNames.normalize("java/lang/String.<init>([BB)V")).isEqualTo("java.lang.String.<init>");
    }

    @Test
    void goMethodReceiversAreNoSignature() {
        // Go's runtime names methods on pointer types with the receiver in parentheses; cutting at the first
        // '(' made every method of compress/flate the one frame "compress.flate.".
        assertThat(FrameNames.normalize("compress/flate.(*compressor).deflate"))
                .isEqualTo("compress/flate.(*compressor).deflate");
        assertThat(FrameNames.normalize("net/http.(*conn).serve.func1")).isEqualTo("net/http.(*conn).serve.func1");
        assertThat(FrameNames.normalize("encoding/json.(*decodeState).object"))
                .isNotEqualTo(FrameNames.normalize("encoding/json.(*decodeState).value"));
        assertThat(FrameNames.normalize("main.priceOrder")).isEqualTo("main.priceOrder");
        assertThat(FrameNames.normalize("java/util/HashMap.get(Ljava/lang/Object;)Ljava/lang/Object;"))
                .isEqualTo("java.util.HashMap.get");
    }
}
