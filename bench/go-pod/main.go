package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type Line struct {
	Sku   string  `json:"sku"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Email    string `json:"email"`
	Lines    []Line `json:"lines"`
}

var emailRe = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`)
var variant string
var sink uint64

func makeOrder(i int) []byte {
	o := Order{ID: fmt.Sprintf("o-%d", i), Customer: fmt.Sprintf("cust-%d", i%977), Email: fmt.Sprintf("user%d@example.com", i%333)}
	for j := 0; j < 8+i%5; j++ {
		o.Lines = append(o.Lines, Line{Sku: fmt.Sprintf("sku-%d", (i*7+j)%1000), Qty: 1 + j%3, Price: 9.99 + float64(j)})
	}
	b, _ := json.Marshal(o)
	return b
}

func parseOrder(b []byte) Order {
	var o Order
	_ = json.Unmarshal(b, &o)
	return o
}

func validate(o Order) bool {
	return emailRe.MatchString(o.Email) && strings.HasPrefix(o.ID, "o-")
}

func priceOrder(o Order) float64 {
	rounds := 600
	if variant == "slow" {
		rounds = 900
	}
	total := 0.0
	for _, l := range o.Lines {
		p := l.Price
		for r := 0; r < rounds; r++ {
			p = p*1.0000001 + math.Sqrt(float64(r%17))*1e-9
		}
		total += p * float64(l.Qty)
	}
	return total
}

func auditSnapshot(o Order) {
	s := 0.0
	for r := 0; r < 2500; r++ {
		s += math.Sin(float64(r)) * float64(len(o.Lines))
	}
	atomic.AddUint64(&sink, uint64(s))
}

func digest(b []byte) [32]byte {
	return sha256.Sum256(b)
}

func rank(o Order) {
	skus := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		skus = append(skus, l.Sku)
	}
	sort.Strings(skus)
}

var logBuf bytes.Buffer
var logMu sync.Mutex

func compressLog(b []byte, i int) {
	if i%20 != 0 {
		return
	}
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Write(b)
	w.Close()
	atomic.AddUint64(&sink, uint64(out.Len()))
}

// encodeReply writes the reply into a fresh per-request buffer: "bigbuf" sizes it 3x (an allocation-only change, the
// reply is the same).
func encodeReply(o Order) int {
	size := 2048
	if variant == "bigbuf" {
		size = 6144
	}
	buf := make([]byte, 0, size)
	buf = append(buf, o.ID...)
	buf = append(buf, o.Customer...)
	return len(buf)
}

// remembered is never pruned under "leak": a copy of the raw order every leakEvery requests.
type remembered struct {
	raw  []byte
	next *remembered
}

var rememberedHead *remembered
var rememberedMu sync.Mutex
var leakEvery = 1

// rememberOrder keeps a copy of the order forever ("leak"): about leakRate bytes per second at the given rate.
func rememberOrder(i int, raw []byte) {
	if i%leakEvery != 0 {
		return
	}
	c := make([]byte, len(raw))
	copy(c, raw)
	rememberedMu.Lock()
	rememberedHead = &remembered{raw: c, next: rememberedHead}
	rememberedMu.Unlock()
}

// awaitAck waits for an acknowledgement nobody sends ("goleak"): the goroutine, its stack and the reply copy it holds
// stay forever. One every goroutineLeakEvery requests: a reply path that forgets to close or read its channel.
func awaitAck(ack chan struct{}, reply []byte) {
	<-ack
	atomic.AddUint64(&sink, uint64(len(reply)))
}

var goroutineLeakEvery = 500

// poolJobs feeds the bounded audit pool ("pool"): one more poolWorker every poolGrowEvery requests until poolMax, then
// no more (a pool that fills towards its size, as a JVM's thread pool does, then stays flat).
var poolJobs = make(chan Order, 256)
var poolSize int32
var poolMax int32 = 64
var poolGrowEvery = 1200

func poolWorker() {
	for o := range poolJobs {
		rank(o)
	}
}

func feedPool(i int, o Order) {
	if i%poolGrowEvery == 0 {
		for {
			n := atomic.LoadInt32(&poolSize)
			if n >= poolMax {
				break
			}
			if atomic.CompareAndSwapInt32(&poolSize, n, n+1) {
				go poolWorker()
				break
			}
		}
	}
	select {
	case poolJobs <- o:
	default:
	}
}

func handle(i int, raw []byte) {
	o := parseOrder(raw)
	if !validate(o) {
		return
	}
	t := priceOrder(o)
	if variant == "new" {
		auditSnapshot(o)
	}
	rank(o)
	d := digest(raw)
	compressLog(raw, i)
	n := encodeReply(o)
	if variant == "leak" {
		rememberOrder(i, raw)
	}
	if variant == "goleak" && i%goroutineLeakEvery == 0 {
		go awaitAck(make(chan struct{}), append([]byte(nil), raw...))
	}
	if variant == "pool" {
		feedPool(i, o)
	}
	atomic.AddUint64(&sink, uint64(n))
	atomic.AddUint64(&sink, uint64(t)+uint64(d[0]))
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	out := flag.String("out", "pod", "directory")
	slices := flag.Int("slices", 4, "slices")
	slice := flag.Duration("slice", 10*time.Second, "slice length")
	flag.StringVar(&variant, "variant", "base", "base|slow|new")
	rate := flag.Int("rate", 1500, "requests per second")
	heapSlices := flag.Bool("heap-every-slice", false, "write heap-NN.pb.gz (Go's cumulative heap profile, as /debug/pprof/heap) after every slice")
	cpu := flag.Bool("cpu", true, "write cpu-NN.pb.gz per slice")
	leakRate := flag.Float64("leak-bytes-per-second", 12233, "\"leak\": bytes kept per second (12233 = 0.7 MiB/min)")
	goroutineSlices := flag.Bool("goroutines-every-slice", false, "write goroutine-NN.pb.gz (as /debug/pprof/goroutine) after every slice")
	flag.IntVar(&goroutineLeakEvery, "goroutine-leak-every", 500, "\"goleak\": one goroutine blocked forever every this many requests")
	flag.IntVar(&poolGrowEvery, "pool-grow-every", 1200, "\"pool\": one more pool worker every this many requests, up to -pool-size")
	poolMaxFlag := flag.Int("pool-size", 64, "\"pool\": the pool's size")
	metricsAddr := flag.String("metrics", "", "serve client_golang's /metrics on this address (build with -tags prom)")
	httpOrders := flag.Bool("http", false, "serve the requests as GET /order?i=N on the -metrics address (net/http, one goroutine per connection) instead of 2 in-process workers")
	h2Addr := flag.String("h2", "", "with -http: also serve GET /order over TLS on this address, HTTP/2 by ALPN (net/http's bundled http2 server; a self-signed certificate)")
	h2cAddr := flag.String("h2c", "", "with -http: serve GET /order and /metrics on this address in cleartext, HTTP/1.1 and HTTP/2 with prior knowledge (h2c, golang.org/x/net/http2; build with -tags h2c) instead of on -metrics")
	var loads multiFlag
	flag.Var(&loads, "load", "load mode (repeatable): NAME=URL,hold|churn,FROM,TO,RATE[,IDLE]: drive that -http pod (an https URL: its -h2 address, over HTTP/2; h2c://HOST:PORT: its -h2c address, HTTP/2 with prior knowledge) from real HTTP clients (http.go)")
	loadRamp := flag.Duration("load-ramp", 15*time.Minute, "load mode: \"hold\" clients go from FROM to TO over this")
	loadFor := flag.Duration("load-for", 20*time.Minute, "load mode: stop after this")
	flag.Parse()
	if len(loads) > 0 {
		os.MkdirAll(*out, 0o755)
		runLoad(loads, *loadRamp, *loadFor, *out)
		return
	}
	poolMax = int32(*poolMaxFlag)
	startMs := time.Now().UnixMilli()
	os.MkdirAll(*out, 0o755)
	orders := make([][]byte, 1000)
	total := 0
	for i := range orders {
		orders[i] = makeOrder(i)
		total += len(orders[i])
	}
	var reqs int64
	if *httpOrders {
		serveOrders(orders, &reqs)
		if *h2Addr != "" {
			serveH2(*h2Addr)
		}
	}
	if *h2cAddr != "" {
		registerMetrics()
		serveH2C(*h2cAddr)
	} else if *metricsAddr != "" {
		serveMetrics(*metricsAddr)
	}
	// a copy of the mean order every leakEvery requests: leakRate bytes per second at the given rate
	leakEvery = int(math.Max(1, math.Round(float64(total)/float64(len(orders))*float64(*rate) / *leakRate)))
	os.WriteFile(filepath.Join(*out, "start_ms"), []byte(fmt.Sprintf("%d\n", startMs)), 0o644)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	workers := 2
	if *httpOrders {
		workers = 0
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			interval := time.Second * time.Duration(workers) / time.Duration(*rate)
			next := time.Now()
			for i := w; ; i += workers {
				select {
				case <-stop:
					return
				default:
				}
				handle(i, orders[i%len(orders)])
				atomic.AddInt64(&reqs, 1)
				next = next.Add(interval)
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				}
			}
		}(w)
	}
	time.Sleep(3 * time.Second)
	csv, _ := os.Create(filepath.Join(*out, "requests.csv"))
	fmt.Fprintln(csv, "profile,requests")
	for s := 0; s < *slices; s++ {
		r0 := atomic.LoadInt64(&reqs)
		if *cpu {
			f, _ := os.Create(filepath.Join(*out, fmt.Sprintf("cpu-%02d.pb.gz", s)))
			pprof.StartCPUProfile(f)
			time.Sleep(*slice)
			pprof.StopCPUProfile()
			f.Close()
			fmt.Fprintf(csv, "cpu-%02d.pb.gz,%d\n", s, atomic.LoadInt64(&reqs)-r0)
		} else {
			time.Sleep(*slice)
		}
		if *heapSlices {
			// what net/http/pprof's /debug/pprof/heap answers: alloc_* since the process started, inuse_* at the
			// last collection
			h, _ := os.Create(filepath.Join(*out, fmt.Sprintf("heap-%02d.pb.gz", s)))
			pprof.Lookup("heap").WriteTo(h, 0)
			h.Close()
			if !*cpu {
				fmt.Fprintf(csv, "heap-%02d.pb.gz,%d\n", s, atomic.LoadInt64(&reqs)-r0)
			}
		}
		if *goroutineSlices {
			// what net/http/pprof's /debug/pprof/goroutine answers (debug=0): sample type goroutine/count, one sample
			// per distinct stack of the goroutines alive now
			g, _ := os.Create(filepath.Join(*out, fmt.Sprintf("goroutine-%02d.pb.gz", s)))
			pprof.Lookup("goroutine").WriteTo(g, 0)
			g.Close()
			if !*cpu {
				fmt.Fprintf(csv, "goroutine-%02d.pb.gz,%d\n", s, atomic.LoadInt64(&reqs)-r0)
			}
		}
	}
	csv.Close()
	if *heapSlices || *goroutineSlices {
		close(stop)
		wg.Wait()
		return
	}
	runtime.GC()
	h, _ := os.Create(filepath.Join(*out, "heap.pb.gz"))
	pprof.WriteHeapProfile(h)
	h.Close()
	close(stop)
	wg.Wait()
}
