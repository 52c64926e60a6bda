package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a frame of a class kotlinc or the JVM generated is written, as a summary says it after the name: the frames
 * seen in recorded Kotlin pods (src/test/resources/qa31), and Java names that must not read as Kotlin's.
 */
class KotlinGeneratedNamesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "com.example.quotes.QuoteService$fraudScore$2.invoke | ' (a lambda or coroutine in `com.example.quotes.QuoteService.fraudScore`)'",
        "com.example.quotes.QuoteService$handle$2$total$1.invokeSuspend | ' (a lambda or coroutine in `com.example.quotes.QuoteService.handle`)'",
        "com.example.quotes.QuoteService$discount$1.invokeSuspend | ' (a lambda or coroutine in `com.example.quotes.QuoteService.discount`)'",
        "com.example.quotes.QuoteServer$start$1$1.invokeSuspend | ' (a lambda or coroutine in `com.example.quotes.QuoteServer.start`)'",
        "com.example.quotes.QuoteService$Companion$load$1.invokeSuspend | ' (a lambda or coroutine in `com.example.quotes.QuoteService$Companion.load`)'",
        "com.example.quotes.QuoteServer.start$lambda$0 | ' (a lambda in `com.example.quotes.QuoteServer.start`)'",
        "com.example.quotes.QuoteService$$Lambda.invoke | ''",
        "com.shop.Orders.lambda$quote$1 | ' (a lambda in `com.shop.Orders.quote`)'",
        "com.shop.Orders$1.run | ''",
        "com.shop.Orders$1Local.run | ''",
        "com.shop.Orders$Line.total | ''",
        "com.example.quotes.QuoteServiceKt.parseOrder | ''",
        "com.example.quotes.QuoteService.render | ''",
        "com.example.quotes.QuoteService.access$ruleFor | ''",
    })
    void whereTheCodeIsWritten(String function, String expected) {
        assertThat(Summaries.enclosing(function)).isEqualTo(expected);
    }
}
