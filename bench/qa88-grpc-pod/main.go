// Command grpcpod is a small gRPC-go service (qa88): orders.Orders with a unary Get and a server-streaming Watch, served
// by gRPC-go's own HTTP/2 transport (google.golang.org/grpc/internal/transport) in cleartext, client_golang's /metrics
// and net/http/pprof over HTTP/1.1 on a side port, a goroutine and a heap profile written every slice (what
// /debug/pprof/goroutine and /debug/pprof/heap answer). With -load it is instead the load process: real gRPC clients,
// one ClientConn (one HTTP/2 connection) each (load.go).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	wrapperspb "github.com/golang/protobuf/ptypes/wrappers"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
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
var requests int64
var goroutineLeakEvery int64 = 2000

func makeOrder(i int) []byte {
	o := Order{ID: fmt.Sprintf("o-%d", i), Customer: fmt.Sprintf("cust-%d", i%977), Email: fmt.Sprintf("user%d@example.com", i%333)}
	for j := 0; j < 8+i%5; j++ {
		o.Lines = append(o.Lines, Line{Sku: fmt.Sprintf("sku-%d", (i*7+j)%1000), Qty: 1 + j%3, Price: 9.99 + float64(j)})
	}
	b, _ := json.Marshal(o)
	return b
}

func priceOrder(o Order) float64 {
	total := 0.0
	for _, l := range o.Lines {
		p := l.Price
		for r := 0; r < 600; r++ {
			p = p*1.0000001 + math.Sqrt(float64(r%17))*1e-9
		}
		total += p * float64(l.Qty)
	}
	return total
}

func rank(o Order) []string {
	skus := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		skus = append(skus, l.Sku)
	}
	sort.Strings(skus)
	return skus
}

// awaitAck waits for an acknowledgement nobody sends: the goroutine, its stack and the reply copy it holds stay forever.
func awaitAck(ack chan struct{}, reply []byte) {
	<-ack
	atomic.AddUint64(&sink, uint64(len(reply)))
}

// orders is the service. "goleak": every goroutineLeakEvery-th request starts a goroutine that waits in awaitAck
// forever (a reply path that forgets its channel); "hangleak": every goroutineLeakEvery-th Get itself waits there
// forever (the client gives up at its 30 s deadline and resets the stream; the connection stays).
type orders struct{}

func (orders) Get(ctx context.Context, in *wrapperspb.BytesValue) (*wrapperspb.BytesValue, error) {
	n := atomic.AddInt64(&requests, 1)
	var o Order
	if err := json.Unmarshal(in.Value, &o); err != nil || !emailRe.MatchString(o.Email) || !strings.HasPrefix(o.ID, "o-") {
		return nil, fmt.Errorf("bad order")
	}
	total := priceOrder(o)
	skus := rank(o)
	reply := []byte(fmt.Sprintf("%s %.2f %s", o.ID, total, strings.Join(skus, ",")))
	if variant == "goleak" && n%goroutineLeakEvery == 0 {
		go awaitAck(make(chan struct{}), append([]byte(nil), in.Value...))
	}
	if variant == "hangleak" && n%goroutineLeakEvery == 0 {
		awaitAck(make(chan struct{}), append([]byte(nil), in.Value...))
	}
	return &wrapperspb.BytesValue{Value: reply}, nil
}

// Watch streams the order's three status changes and ends.
func (orders) Watch(in *wrapperspb.BytesValue, stream grpc.ServerStream) error {
	atomic.AddInt64(&requests, 1)
	var o Order
	if err := json.Unmarshal(in.Value, &o); err != nil {
		return err
	}
	for _, status := range []string{"accepted", "priced", "shipped"} {
		if err := stream.SendMsg(&wrapperspb.BytesValue{Value: []byte(o.ID + " " + status)}); err != nil {
			return err
		}
	}
	return nil
}

// ordersServer, the handlers and ordersDesc are what protoc-gen-go-grpc generates for
//
//	service Orders { rpc Get(google.protobuf.BytesValue) returns (google.protobuf.BytesValue);
//	                 rpc Watch(google.protobuf.BytesValue) returns (stream google.protobuf.BytesValue); }
//
// written by hand (no protoc here), with the well-known wrapper messages (github.com/golang/protobuf 1.3's, as Debian pairs with gRPC 1.33) so the proto codec
// is gRPC's own.
type ordersServer interface {
	Get(context.Context, *wrapperspb.BytesValue) (*wrapperspb.BytesValue, error)
	Watch(*wrapperspb.BytesValue, grpc.ServerStream) error
}

func _Orders_Get_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(wrapperspb.BytesValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ordersServer).Get(ctx, in)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: "/orders.Orders/Get"}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ordersServer).Get(ctx, req.(*wrapperspb.BytesValue))
	}
	return interceptor(ctx, in, info, handler)
}

func _Orders_Watch_Handler(srv interface{}, stream grpc.ServerStream) error {
	in := new(wrapperspb.BytesValue)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	return srv.(ordersServer).Watch(in, stream)
}

var ordersDesc = grpc.ServiceDesc{
	ServiceName: "orders.Orders",
	HandlerType: (*ordersServer)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Get", Handler: _Orders_Get_Handler}},
	Streams:     []grpc.StreamDesc{{StreamName: "Watch", Handler: _Orders_Watch_Handler, ServerStreams: true}},
	Metadata:    "orders.proto",
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	out := flag.String("out", "pod", "directory")
	slices := flag.Int("slices", 17, "slices")
	slice := flag.Duration("slice", time.Minute, "slice length")
	flag.StringVar(&variant, "variant", "base", "base|goleak|hangleak")
	flag.Int64Var(&goroutineLeakEvery, "goroutine-leak-every", 2000, "goleak, hangleak: one goroutine blocked forever every this many requests")
	grpcAddr := flag.String("grpc", "127.0.0.1:22651", "serve orders.Orders (gRPC, cleartext HTTP/2) here")
	metricsAddr := flag.String("metrics", "127.0.0.1:22641", "serve /metrics (client_golang) and /debug/pprof (net/http/pprof) here, HTTP/1.1")
	var loads multiFlag
	flag.Var(&loads, "load", "load mode (repeatable): NAME=HOST:PORT,FROM,TO,RATE: FROM clients at the start to TO at the end of -load-ramp, one gRPC connection each, RATE calls per second over them all")
	loadRamp := flag.Duration("load-ramp", 15*time.Minute, "load mode: clients go from FROM to TO over this")
	loadFor := flag.Duration("load-for", 18*time.Minute, "load mode: stop after this")
	loadPprof := flag.String("load-pprof", "", "load mode: serve /debug/pprof (net/http/pprof) here, to profile the clients' own goroutines")
	flag.Parse()
	os.MkdirAll(*out, 0o755)
	if len(loads) > 0 {
		if *loadPprof != "" {
			go http.ListenAndServe(*loadPprof, nil)
		}
		runLoad(loads, *loadRamp, *loadFor, *out)
		return
	}
	startMs := time.Now().UnixMilli()
	os.WriteFile(filepath.Join(*out, "start_ms"), []byte(fmt.Sprintf("%d\n", startMs)), 0o644)
	http.Handle("/metrics", promhttp.Handler())
	go http.ListenAndServe(*metricsAddr, nil)
	ln, err := net.Listen("tcp", *grpcAddr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "-grpc:", err)
		os.Exit(2)
	}
	srv := grpc.NewServer()
	srv.RegisterService(&ordersDesc, orders{})
	go srv.Serve(ln)
	time.Sleep(3 * time.Second)
	csv, _ := os.Create(filepath.Join(*out, "requests.csv"))
	fmt.Fprintln(csv, "profile,requests")
	for s := 0; s < *slices; s++ {
		r0 := atomic.LoadInt64(&requests)
		time.Sleep(*slice)
		h, _ := os.Create(filepath.Join(*out, fmt.Sprintf("heap-%02d.pb.gz", s)))
		pprof.Lookup("heap").WriteTo(h, 0)
		h.Close()
		g, _ := os.Create(filepath.Join(*out, fmt.Sprintf("goroutine-%02d.pb.gz", s)))
		pprof.Lookup("goroutine").WriteTo(g, 0)
		g.Close()
		fmt.Fprintf(csv, "goroutine-%02d.pb.gz,%d\n", s, atomic.LoadInt64(&requests)-r0)
	}
	csv.Close()
}
