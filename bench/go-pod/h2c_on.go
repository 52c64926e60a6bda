//go:build h2c

package main

import (
	"crypto/tls"
	"net"
	"net/http"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

// serveH2C serves the default mux (GET /order, /metrics) on addr in cleartext, HTTP/1.1 and HTTP/2 with prior knowledge
// (h2c, golang.org/x/net/http2/h2c: what a mesh's sidecar or a gRPC-gateway/Connect server speaks to the process). The
// h2c handler takes the connection over from inside net/http's handler: its golang.org/x/net/http2.(*serverConn).serve
// runs under net/http.serverHandler.ServeHTTP of the connection's first request, with a readFrames goroutine beside it
// and every stream in its own (*serverConn).runHandler goroutine.
func serveH2C(addr string) {
	go http.ListenAndServe(addr, h2c.NewHandler(http.DefaultServeMux, &http2.Server{}))
}

// h2cTransport speaks HTTP/2 with prior knowledge over one cleartext connection (reused for every request).
func h2cTransport() http.RoundTripper {
	return &http2.Transport{AllowHTTP: true, DisableCompression: true,
		DialTLS: func(network, addr string, _ *tls.Config) (net.Conn, error) { return net.Dial(network, addr) }}
}
