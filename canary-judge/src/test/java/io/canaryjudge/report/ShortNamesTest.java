package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortNamesTest {
    @Test
    void javaPackagesShrinkToInitialsButTheLastOne() {
        assertThat(ShortNames.abbreviate("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts"))
                .isEqualTo("i.c.s.shop.PriceCalculator.applyDiscounts");
        assertThat(ShortNames.abbreviate("java.util.regex.Pattern.compile")).isEqualTo("j.u.regex.Pattern.compile");
        assertThat(ShortNames.abbreviate("java.lang.Thread.run")).isEqualTo("j.lang.Thread.run");
        assertThat(ShortNames.abbreviate("shop.Cart.total")).isEqualTo("shop.Cart.total");
        assertThat(ShortNames.abbreviate("java.util.HashMap$TreeNode.find")).isEqualTo("j.util.HashMap$TreeNode.find");
    }

    @Test
    void otherNamesStayAsTheyAre() {
        assertThat(ShortNames.abbreviate("libjvm.so.PhaseChaitin::Split")).isEqualTo("libjvm.so.PhaseChaitin::Split");
        assertThat(ShortNames.abbreviate("[vdso]")).isEqualTo("[vdso]");
        assertThat(ShortNames.abbreviate("do_syscall_64")).isEqualTo("do_syscall_64");
        assertThat(ShortNames.abbreviate("com.evil.<script>.X")).isEqualTo("com.evil.<script>.X");
        assertThat(ShortNames.abbreviate("a..B.c")).isEqualTo("a..B.c");
    }

    @Test
    void longNamesLoseTheirMiddleAndInvisibleCharactersShow() {
        String name = "com.example." + "x".repeat(200) + ".Klass.method";
        String shown = ShortNames.display(name, 40);
        assertThat(shown.codePointCount(0, shown.length())).isEqualTo(40);
        assertThat(shown).startsWith("c.").endsWith("Klass.method").contains("…");
        assertThat(ShortNames.visible("a\u202Eb\u200Bc\nd")).isEqualTo("a<U+202E>b<U+200B>c<U+000A>d");
        assertThat(ShortNames.visible("plain")).isSameAs("plain");
    }
}
