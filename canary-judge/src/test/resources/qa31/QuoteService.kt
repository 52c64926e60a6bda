// A quote service written the way Kotlin services are: request handling in coroutines on Dispatchers.Default,
// blocking work moved to Dispatchers.IO, async/withContext, a companion object, a top-level function, an inline
// helper, lambdas and a function reference. Compiled in the test (io.canaryjudge.qa31.KotlinBuild); the tokens
// __NAME__ are replaced per build variant before compiling (a variant is another build of this code).
package com.example.quotes

import com.sun.net.httpserver.HttpServer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.net.InetSocketAddress
import java.security.MessageDigest

class Line(val sku: Int, val price: Double, val qty: Int)

class Order(val tier: Int, val lines: List<Line>)

/** A top-level function: class QuoteServiceKt. */
fun parseOrder(body: String): Order {
    val parts = body.split(';')
    val lines = parts[1].split(',').mapIndexed { i, item ->
        val at = item.indexOf('*')
        Line(i * 31 + at, item.substring(0, at).toDouble(), item.substring(at + 1).toInt())
    }
    return Order(parts[0].toInt(), lines)
}

/** An inline helper: the compiler copies its body into every caller (render, reserveStock). */
inline fun mix(seed: Long, rounds: Int): Long {
    var h = seed
    for (i in 0 until rounds) {
        h = (h xor (h ushr 29)) * -0x61c8864680b583ebL + i
        __MIX_EXTRA__
    }
    return h
}

class QuoteService {
    companion object {
        const val MIX_ROUNDS = 3000

        fun tierFactor(tier: Int): Double = when (tier) {
            0 -> 1.0
            1 -> 0.97
            2 -> 0.93
            else -> 0.9
        }
    }

    private val lineRule: (Line) -> Double = this::ruleFor
    private val round: (Double) -> Double = { x -> Math.round(x * 100) / 100.0 }
    private val stock = HashMap<Int, Int>()

    suspend fun handle(body: String): String = coroutineScope {
        val order = parseOrder(body)
        val total = async(__PRICING__) { price(order) }
        val reserved = async(Dispatchers.IO) { reserveStock(order) }
        val fraud = __FRAUD__
        render(order, total.await(), reserved.await(), fraud)
    }

    suspend fun price(order: Order): Double {
        var sum = 0.0
        for (line in order.lines) {
            sum += discount(line)
        }
        return sum * tierFactor(order.tier)
    }

    /** A suspend function with work on both sides of a suspension point. */
    suspend fun discount(line: Line): Double {
        var x = lineRule(line)
        yield()
        for (i in 0 until __DISCOUNT_ROUNDS__) {
            x += Math.sqrt(x * 1.0001 + i) * 1e-6
        }
        return round(x)
    }

    private fun ruleFor(line: Line): Double {
        var p = line.price * line.qty
        for (i in 0 until 2500) {
            p = p * 0.99999 + (i and 3) * 1e-7
        }
        return p
    }

    /** Blocking work (a digest, a lock), run on Dispatchers.IO. */
    fun reserveStock(order: Order): Long {
        val digest = MessageDigest.getInstance("SHA-256")
        var h = 0L
        for (line in order.lines) {
            digest.update(line.sku.toString().toByteArray())
            h = mix(h + line.sku, MIX_ROUNDS)
            synchronized(stock) { stock.merge(line.sku % 64, line.qty, Int::plus) }
        }
        return h xor digest.digest()[0].toLong()
    }

    /** A new check (variant newpath): its own coroutine on Dispatchers.Default. */
    suspend fun fraudScore(order: Order): Double = withContext(Dispatchers.Default) {
        var s = 0.0
        for (line in order.lines) {
            for (i in 0 until 1000) {
                s += Math.sin(line.price + i) * 1e-3
            }
        }
        s
    }

    fun render(order: Order, total: Double, reserved: Long, fraud: Double): String {
        val sb = StringBuilder()
        var h = reserved
        for (line in order.lines) {
            h = mix(h + line.sku, MIX_ROUNDS)
            sb.append(line.sku).append('=').append(line.qty).append(';')
        }
        return sb.append("total=").append(total).append(";fraud=").append(fraud).append(";tag=")
            .append(java.lang.Long.toHexString(h)).toString()
    }
}

/** The server: the JDK's HTTP server hands each request to a coroutine on Dispatchers.Default (like Ktor). */
object QuoteServer {
    @JvmStatic
    fun start(port: Int): HttpServer {
        val service = QuoteService()
        val scope = CoroutineScope(Dispatchers.Default + SupervisorJob())
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", port), 128)
        server.createContext("/quote") { exchange ->
            val body = exchange.requestBody.readAllBytes().decodeToString()
            scope.launch {
                val answer = try {
                    service.handle(body).encodeToByteArray()
                } catch (e: Exception) {
                    null
                }
                if (answer == null) {
                    exchange.sendResponseHeaders(500, -1)
                    exchange.close()
                } else {
                    exchange.sendResponseHeaders(200, answer.size.toLong())
                    exchange.responseBody.use { it.write(answer) }
                }
            }
        }
        server.start()
        return server
    }
}
