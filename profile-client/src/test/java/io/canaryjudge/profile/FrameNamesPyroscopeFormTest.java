package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pyroscope's JFR parser stores generated names with {@code _} in place of the volatile part
 * ({@code Foo$$Lambda_.apply}, {@code GeneratedMethodAccessor_.invoke}); they must normalise to
 * the same names as the raw JFR frames, or a profile from Pyroscope and one read from a JFR file
 * would never match.
 */
class FrameNamesPyroscopeFormTest {

    @Test
    void pyroscopeLambdaPlaceholderMatchesRawLambda() {
        assertThat(FrameNames.normalize("kafka/network/Processor$$Lambda_.accept:42"))
                .isEqualTo(FrameNames.normalize("kafka/network/Processor$$Lambda$1234/0x0000000800c1b840.accept"))
                .isEqualTo("kafka.network.Processor$$Lambda.accept");
    }

    @Test
    void pyroscopeAccessorPlaceholderMatchesNumberedAccessor() {
        assertThat(FrameNames.normalize("jdk/internal/reflect/GeneratedMethodAccessor_.invoke"))
                .isEqualTo(FrameNames.normalize("jdk/internal/reflect/GeneratedMethodAccessor31.invoke"))
                .isEqualTo("jdk.internal.reflect.GeneratedMethodAccessor.invoke");
    }

    @Test
    void methodNameStartingWithHexLettersIsNotTakenForALambdaSuffix() {
        assertThat(FrameNames.normalize("com/shop/Foo$$Lambda.accept")).isEqualTo("com.shop.Foo$$Lambda.accept");
        assertThat(FrameNames.normalize("com/shop/Foo$$Lambda$45.apply")).isEqualTo("com.shop.Foo$$Lambda.apply");
        assertThat(FrameNames.normalize("Fib$$Lambda.0x00007ffa600c4da0.run")).isEqualTo("Fib$$Lambda.run");
    }
}
