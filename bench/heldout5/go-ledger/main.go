// heldout5 (qa95): a small Go ledger service the judge has never seen, for the Go/Node held-out set
// (docs/heldout5.md). Standard library only (Go 1.19, GO111MODULE=off). Two modes:
//
//	ledger serve -addr HOST:PORT -variant V -out DIR [-slice 1m] [-slices 12]
//	ledger load  -for 13m NAME=URL,KIND,RATE,CONNS[,STEP_AT,STEP_CONNS] ...
//
// serve: POST /settle takes a JSON batch of ledger entries, normalises their memos, settles the balances (a hash
// chain per account: the CPU-heavy step), renders a text statement and answers JSON. It writes per slice, as
// net/http/pprof would serve them: cpu-NN.pb.gz (runtime/pprof over the slice), heap-NN.pb.gz (Go's cumulative heap
// profile) and goroutine-NN.pb.gz, and requests.csv (requests served per slice), and OUT/start_ms (the process's
// start, for the gctrace heap.csv). Variants: base | slow15 (settleBalances 1.5x the rounds) | slow2 (2x) | newpath
// (a new screenSanctions: every memo matched against a list of regular expressions) | goleak (every
// -goroutine-leak-every'th request starts awaitSettlement, which waits on a channel nobody sends on) | heapleak
// (every request keeps -leak-bytes of its statement in an audit trail that is never trimmed).
//
// load: for each target, one dispatcher releases RATE requests a second (open loop) to CONNS clients, each its own
// keep-alive connection; from STEP_AT on, STEP_CONNS clients share the same rate (more open connections, the same
// requests and code: the connection step). KIND is "ledger" (this service) or "search" (the Node service).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type Entry struct {
	Account string   `json:"account"`
	Amount  int64    `json:"amountCents"`
	Memo    string   `json:"memo"`
	Tags    []string `json:"tags"`
}

type Batch struct {
	Ledger  string  `json:"ledger"`
	Entries []Entry `json:"entries"`
}

type Statement struct {
	Ledger   string           `json:"ledger"`
	Balances map[string]int64 `json:"balances"`
	Digest   string           `json:"digest"`
	Flagged  int              `json:"flagged"`
	Text     string           `json:"text"`
}

var (
	variant            string
	rounds             = 640 // settleBalances' hash rounds per entry at base
	goroutineLeakEvery int64
	leakBytes          int
	served             int64
	auditTrail         [][]byte // heapleak: never trimmed
	auditMu            sync.Mutex
	never              = make(chan struct{})
	sanctions          []*regexp.Regexp
)

func normalizeEntries(b *Batch) {
	for i := range b.Entries {
		e := &b.Entries[i]
		words := strings.Fields(strings.ToLower(e.Memo))
		for j, w := range words {
			words[j] = strings.Trim(w, ".,;:!?")
		}
		e.Memo = strings.Join(words, " ")
		e.Account = strings.ToUpper(strings.TrimSpace(e.Account))
		sort.Strings(e.Tags)
	}
}

func settleBalances(b *Batch) (map[string]int64, uint64) {
	r := rounds
	switch variant {
	case "slow15":
		r = rounds * 3 / 2
	case "slow2":
		r = rounds * 2
	}
	balances := map[string]int64{}
	h := fnv.New64a()
	var digest uint64
	buf := make([]byte, 0, 128)
	for _, e := range b.Entries {
		balances[e.Account] += e.Amount
		for k := 0; k < r; k++ {
			buf = buf[:0]
			buf = append(buf, e.Account...)
			buf = strconv.AppendInt(buf, e.Amount+int64(k), 10)
			buf = append(buf, e.Memo...)
			h.Reset()
			h.Write(buf)
			digest = digest*31 ^ h.Sum64()
		}
	}
	return balances, digest
}

func screenSanctions(b *Batch) int {
	flagged := 0
	for _, e := range b.Entries {
		for _, re := range sanctions {
			if re.MatchString(e.Memo) {
				flagged++
			}
		}
	}
	return flagged
}

func renderStatement(b *Batch, balances map[string]int64) string {
	accounts := make([]string, 0, len(balances))
	for a := range balances {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Statement for %s\n", b.Ledger)
	for _, a := range accounts {
		fmt.Fprintf(&sb, "%-12s %12.2f\n", a, float64(balances[a])/100)
	}
	for _, e := range b.Entries {
		fmt.Fprintf(&sb, "  %s %d %q %v\n", e.Account, e.Amount, e.Memo, e.Tags)
	}
	return sb.String()
}

func awaitSettlement(stmt *Statement) {
	<-never // nobody sends or closes: the goroutine and the statement it holds stay forever
	_ = stmt.Text
}

func recordAudit(text string) {
	n := leakBytes
	if n > len(text) {
		n = len(text)
	}
	kept := make([]byte, leakBytes)
	copy(kept, text[:n])
	auditMu.Lock()
	auditTrail = append(auditTrail, kept)
	auditMu.Unlock()
}

func settle(w http.ResponseWriter, r *http.Request) {
	var b Batch
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	normalizeEntries(&b)
	balances, digest := settleBalances(&b)
	stmt := &Statement{Ledger: b.Ledger, Balances: balances, Digest: strconv.FormatUint(digest, 16)}
	if variant == "newpath" {
		stmt.Flagged = screenSanctions(&b)
	}
	stmt.Text = renderStatement(&b, balances)
	n := atomic.AddInt64(&served, 1)
	if variant == "goleak" && n%goroutineLeakEvery == 0 {
		go awaitSettlement(stmt)
	}
	if variant == "heapleak" {
		recordAudit(stmt.Text)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(stmt)
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:22781", "listen address")
	out := fs.String("out", "pod", "directory for the profiles")
	slice := fs.Duration("slice", time.Minute, "slice length")
	slices := fs.Int("slices", 12, "slices")
	warmup := fs.Duration("warmup", 20*time.Second, "wait before the first slice")
	fs.StringVar(&variant, "variant", "base", "base|slow15|slow2|newpath|goleak|heapleak")
	fs.Int64Var(&goroutineLeakEvery, "goroutine-leak-every", 200, "goleak: one goroutine blocked forever every this many requests")
	fs.IntVar(&leakBytes, "leak-bytes", 400, "heapleak: bytes kept per request")
	fs.Parse(args)
	for _, p := range []string{`\bwire\b.*\boffshore\b`, `(?i)crypto(currency)?\s+exchange`, `\b[a-z]{3}-\d{4,}\b`,
		`gift\s*card`, `\bcash\b.*\bwithdrawal\b`, `(shell|front)\s+company`, `\b(iban|swift)\b\s*[a-z0-9]+`,
		`re-?invoice`, `\bmule\b`, `structur(ed|ing)\s+deposit`, `prepaid\s+(card|voucher)`, `\bhawala\b`} {
		sanctions = append(sanctions, regexp.MustCompile(p))
	}
	os.MkdirAll(*out, 0o755)
	os.WriteFile(filepath.Join(*out, "start_ms"), []byte(strconv.FormatInt(time.Now().UnixMilli(), 10)), 0o644)
	mux := http.NewServeMux()
	mux.HandleFunc("/settle", settle)
	go func() { log.Fatal(http.ListenAndServe(*addr, mux)) }()
	time.Sleep(*warmup)
	csv, _ := os.Create(filepath.Join(*out, "requests.csv"))
	fmt.Fprintln(csv, "profile,requests")
	for s := 0; s < *slices; s++ {
		r0 := atomic.LoadInt64(&served)
		f, _ := os.Create(filepath.Join(*out, fmt.Sprintf("cpu-%02d.pb.gz", s)))
		pprof.StartCPUProfile(f)
		time.Sleep(*slice)
		pprof.StopCPUProfile()
		f.Close()
		fmt.Fprintf(csv, "cpu-%02d.pb.gz,%d\n", s, atomic.LoadInt64(&served)-r0)
		h, _ := os.Create(filepath.Join(*out, fmt.Sprintf("heap-%02d.pb.gz", s)))
		pprof.Lookup("heap").WriteTo(h, 0)
		h.Close()
		g, _ := os.Create(filepath.Join(*out, fmt.Sprintf("goroutine-%02d.pb.gz", s)))
		pprof.Lookup("goroutine").WriteTo(g, 0)
		g.Close()
	}
	csv.Close()
	fmt.Fprintln(os.Stderr, "done")
}

// ---- load ----

var (
	accounts = []string{"acme", "globex", "initech", "umbrella", "hooli", "vandelay", "wonka", "stark", "wayne", "tyrell"}
	words    = strings.Fields("invoice payment refund wire offshore transfer monthly fee rent payroll card gift " +
		"cash withdrawal deposit structured prepaid voucher shell company iban swift hawala mule reinvoice exchange " +
		"crypto settlement adjustment interest dividend tax vat supplier customer")
	queries = strings.Fields("lamp chair desk oak steel linen wool cotton lantern shelf rug mirror vase clock " +
		"kettle bowl basket stool bench sofa")
)

func ledgerBody(rnd *rand.Rand, seq int) []byte {
	b := Batch{Ledger: "L" + strconv.Itoa(seq%97)}
	n := 18 + rnd.Intn(8)
	for i := 0; i < n; i++ {
		var memo []string
		for k := 0; k < 6+rnd.Intn(6); k++ {
			memo = append(memo, words[rnd.Intn(len(words))])
		}
		memo = append(memo, fmt.Sprintf("ref-%d", rnd.Intn(100000)))
		b.Entries = append(b.Entries, Entry{Account: accounts[rnd.Intn(len(accounts))],
			Amount: int64(rnd.Intn(200000) - 50000), Memo: strings.Join(memo, " ") + ".",
			Tags: []string{words[rnd.Intn(len(words))], words[rnd.Intn(len(words))]}})
	}
	body, _ := json.Marshal(b)
	return body
}

func searchBody(rnd *rand.Rand, seq int) []byte {
	var q []string
	for k := 0; k < 2+rnd.Intn(3); k++ {
		q = append(q, queries[rnd.Intn(len(queries))])
	}
	body, _ := json.Marshal(map[string]any{"query": strings.Join(q, " "), "limit": 10 + rnd.Intn(10),
		"maxPrice": 50 + rnd.Intn(400), "page": seq % 5})
	return body
}

type target struct {
	name, url, kind string
	rate, conns     int
	stepAt          time.Duration
	stepConns       int
}

func parseTarget(s string) target {
	name, rest, _ := strings.Cut(s, "=")
	f := strings.Split(rest, ",")
	t := target{name: name, url: f[0], kind: f[1]}
	t.rate, _ = strconv.Atoi(f[2])
	t.conns, _ = strconv.Atoi(f[3])
	if len(f) >= 6 {
		t.stepAt, _ = time.ParseDuration(f[4])
		t.stepConns, _ = strconv.Atoi(f[5])
	}
	return t
}

func client(t target, tokens <-chan int, stop <-chan struct{}, errs *int64) {
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}, Timeout: 30 * time.Second}
	rnd := rand.New(rand.NewSource(time.Now().UnixNano()))
	for {
		select {
		case <-stop:
			return
		case seq := <-tokens:
			var body []byte
			if t.kind == "search" {
				body = searchBody(rnd, seq)
			} else {
				body = ledgerBody(rnd, seq)
			}
			resp, err := c.Post(t.url, "application/json", bytes.NewReader(body))
			if err != nil {
				atomic.AddInt64(errs, 1)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				atomic.AddInt64(errs, 1)
			}
		}
	}
}

func load(args []string) {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	dur := fs.Duration("for", 13*time.Minute, "stop after this")
	fs.Parse(args)
	stop := make(chan struct{})
	var errs int64
	start := time.Now()
	for _, a := range fs.Args() {
		t := parseTarget(a)
		tokens := make(chan int, 64)
		for i := 0; i < t.conns; i++ {
			go client(t, tokens, stop, &errs)
		}
		if t.stepConns > t.conns {
			go func(t target) {
				time.Sleep(t.stepAt)
				for i := t.conns; i < t.stepConns; i++ {
					go client(t, tokens, stop, &errs)
				}
				log.Printf("%s: %d connections", t.name, t.stepConns)
			}(t)
		}
		go func(t target) { // open loop: RATE tokens a second, dropped when every client is busy and the queue full
			interval := time.Second / time.Duration(t.rate)
			next := time.Now()
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				case tokens <- seq:
				default:
				}
				next = next.Add(interval)
				time.Sleep(time.Until(next))
			}
		}(t)
	}
	for time.Since(start) < *dur {
		time.Sleep(30 * time.Second)
		log.Printf("%.0fs, errors %d", time.Since(start).Seconds(), atomic.LoadInt64(&errs))
	}
	close(stop)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ledger serve|load ...")
		os.Exit(64)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "load":
		load(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: ledger serve|load ...")
		os.Exit(64)
	}
}
