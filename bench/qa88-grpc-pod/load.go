package main

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	wrapperspb "github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
)

// loadSpec is one target of -load: NAME=HOST:PORT,FROM,TO,RATE.
type loadSpec struct {
	name, addr string
	from, to   int
	rate       float64
}

func parseLoad(s string) loadSpec {
	eq := strings.SplitN(s, "=", 2)
	p := strings.Split(eq[1], ",")
	from, _ := strconv.Atoi(p[1])
	to, _ := strconv.Atoi(p[2])
	rate, _ := strconv.ParseFloat(p[3], 64)
	return loadSpec{name: eq[0], addr: p[0], from: from, to: to, rate: rate}
}

var payloads [][]byte

// runLoad drives every target for total, logging each target's open clients and calls made every 10 s to
// OUT/load-NAME.csv.
func runLoad(specs []string, ramp, total time.Duration, out string) {
	payloads = make([][]byte, 1000)
	for i := range payloads {
		payloads[i] = makeOrder(i)
	}
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
	var active, sent int64
	log, _ := os.Create(fmt.Sprintf("%s/load-%s.csv", out, spec.name))
	defer log.Close()
	fmt.Fprintln(log, "timestamp_ms,clients,requests")
	stop := time.After(total)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	done := make(chan struct{})
	clients, n := 0, 0
	for {
		select {
		case <-stop:
			close(done)
			return
		case now := <-tick.C:
			f := float64(now.Sub(start)) / float64(ramp)
			if f > 1 {
				f = 1
			}
			want := spec.from + int(f*float64(spec.to-spec.from)+0.5)
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

// client holds one ClientConn (one HTTP/2 connection, kept open while idle: gRPC clients do not close idle
// connections) and sends its share of the target's rate at exponential gaps: a unary Get, every 10th call a Watch
// stream read to its end; each call with a 30 s deadline.
func client(spec loadSpec, id int, active, sent *int64, done chan struct{}) {
	conn, err := grpc.Dial(spec.addr, grpc.WithInsecure())
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		return
	}
	defer conn.Close()
	atomic.AddInt64(active, 1)
	rng := rand.New(rand.NewSource(int64(id)))
	i := id
	for {
		share := spec.rate / float64(atomic.LoadInt64(active))
		gap := time.Duration(rng.ExpFloat64() / share * float64(time.Second))
		select {
		case <-done:
			return
		case <-time.After(gap):
		}
		in := &wrapperspb.BytesValue{Value: payloads[i%len(payloads)]}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if i%10 == 0 {
			err = watch(ctx, conn, in)
		} else {
			err = conn.Invoke(ctx, "/orders.Orders/Get", in, new(wrapperspb.BytesValue))
		}
		cancel()
		if err == nil {
			atomic.AddInt64(sent, 1)
		}
		i += 7919
	}
}

var watchDesc = &grpc.StreamDesc{StreamName: "Watch", ServerStreams: true}

func watch(ctx context.Context, conn *grpc.ClientConn, in *wrapperspb.BytesValue) error {
	s, err := conn.NewStream(ctx, watchDesc, "/orders.Orders/Watch")
	if err != nil {
		return err
	}
	if err := s.SendMsg(in); err != nil {
		return err
	}
	if err := s.CloseSend(); err != nil {
		return err
	}
	for {
		if err := s.RecvMsg(new(wrapperspb.BytesValue)); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
