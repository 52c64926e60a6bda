package main

import (
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// serveOrders answers GET /order?i=N on the default mux (the one serveMetrics serves /metrics from) with handle(): a
// real net/http server, one goroutine per open connection (net/http.(*conn).serve), instead of the in-process workers.
func serveOrders(orders [][]byte, reqs *int64) {
	http.HandleFunc("/order", func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.URL.Query().Get("i"))
		handle(i, orders[i%len(orders)])
		if variant == "hangleak" && i%goroutineLeakEvery == 0 {
			// the handler itself waits forever (a reply nobody acknowledges): its goroutine, under
			// net/http.(*conn).serve, never returns even after the client gives up and closes the connection
			awaitAck(make(chan struct{}), append([]byte(nil), orders[i%len(orders)]...))
		}
		atomic.AddInt64(reqs, 1)
		io.WriteString(w, "ok\n")
	})
}

// loadSpec is one target of -load: NAME=URL,mode,from,to,rate[,idle]. mode "hold": clients that keep one keep-alive
// connection each, from `from` clients at the start to `to` at the end of -load-ramp (linearly, a weight step's clients
// arriving); "churn": `from` clients that each close their idle connection after `idle` (a short idle timeout) while
// their requests come at random (exponential) gaps, so connections come and go. rate: requests per second over all the target's clients.
type loadSpec struct {
	name, url, mode string
	from, to        int
	rate            float64
	idle            time.Duration
}

func parseLoad(s string) loadSpec {
	eq := strings.SplitN(s, "=", 2)
	p := strings.Split(eq[1], ",")
	from, _ := strconv.Atoi(p[2])
	to, _ := strconv.Atoi(p[3])
	rate, _ := strconv.ParseFloat(p[4], 64)
	spec := loadSpec{name: eq[0], url: p[0], mode: p[1], from: from, to: to, rate: rate}
	if len(p) > 5 {
		spec.idle, _ = time.ParseDuration(p[5])
	}
	return spec
}

// runLoad drives every target for total, logging each target's open clients every 10 s to OUT/load-NAME.csv.
func runLoad(specs []string, ramp, total time.Duration, out string) {
	start := time.Now()
	var wg sync.WaitGroup
	for _, s := range specs {
		spec := parseLoad(s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			drive(spec, start, ramp, total, out)
		}()
	}
	wg.Wait()
}

func drive(spec loadSpec, start time.Time, ramp, total time.Duration, out string) {
	var active int64
	var sent int64
	log, _ := os.Create(fmt.Sprintf("%s/load-%s.csv", out, spec.name))
	defer log.Close()
	fmt.Fprintln(log, "timestamp_ms,clients,requests")
	stop := time.After(total)
	clients := 0
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	done := make(chan struct{})
	n := 0
	for {
		select {
		case <-stop:
			close(done)
			return
		case now := <-tick.C:
			want := spec.from
			if spec.mode == "hold" {
				f := float64(now.Sub(start)) / float64(ramp)
				if f > 1 {
					f = 1
				}
				want = spec.from + int(f*float64(spec.to-spec.from)+0.5)
			}
			for clients < want {
				clients++
				go client(spec, clients, &active, &sent, done)
			}
			n++
			if n%10 == 0 {
				fmt.Fprintf(log, "%d,%d,%d\n", now.UnixMilli(), atomic.LoadInt64(&active), atomic.LoadInt64(&sent))
			}
		}
	}
}

// client sends its share of the target's rate over its own Transport: one keep-alive connection (HTTP/2 when the
// target's URL is https, h2.go; "hold": never closed while idle; "churn": closed by the client after spec.idle idle).
func client(spec loadSpec, id int, active, sent *int64, done chan struct{}) {
	atomic.AddInt64(active, 1)
	t := clientTransport(spec.url)
	if spec.mode == "churn" {
		t.IdleConnTimeout = spec.idle
	}
	var rt http.RoundTripper = t
	url := spec.url
	if strings.HasPrefix(url, "h2c://") {
		// HTTP/2 in cleartext with prior knowledge (h2c_on.go): one connection for this client, as t would hold
		rt, url = h2cTransport(), "http://"+strings.TrimPrefix(url, "h2c://")
	}
	c := &http.Client{Transport: rt, Timeout: 30 * time.Second}
	rng := rand.New(rand.NewSource(int64(id)))
	clients := spec.from
	if spec.to > clients {
		clients = spec.to
	}
	i := id
	for {
		// each client's share: the target's rate over the clients alive now (hold) or all of them (churn)
		share := spec.rate / float64(atomic.LoadInt64(active))
		if spec.mode == "churn" {
			share = spec.rate / float64(clients)
		}
		// exponential gaps: under churn the ones longer than spec.idle find the connection closed and open a new one
		gap := time.Duration(rng.ExpFloat64() / share * float64(time.Second))
		select {
		case <-done:
			c.CloseIdleConnections()
			return
		case <-time.After(gap):
		}
		resp, err := c.Get(fmt.Sprintf("%s/order?i=%d", url, i))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			atomic.AddInt64(sent, 1)
		}
		i += 7919
	}
}
