package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// serveH2 serves the default mux (GET /order, as serveOrders registers it) over TLS on addr, where net/http's bundled
// HTTP/2 server takes every connection that negotiates "h2" by ALPN (Go 1.19 speaks HTTP/2 only over TLS). Per
// connection it runs net/http.(*conn).serve, which hands the connection to (*http2serverConn).serve, and a
// (*http2serverConn).readFrames goroutine; every request (stream) runs in its own (*http2serverConn).runHandler
// goroutine. No idle timeout: a connection stays open while its client keeps it.
func serveH2(addr string) {
	srv := &http.Server{Addr: addr, TLSConfig: &tls.Config{Certificates: []tls.Certificate{selfSigned()}}}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		os.Stderr.WriteString("-h2: " + err.Error() + "\n")
		os.Exit(2)
	}
	go srv.ServeTLS(ln, "", "")
}

// selfSigned makes a throw-away certificate for 127.0.0.1 (P-256, one day): the load process skips verifying it.
func selfSigned() tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "go-pod"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// clientTransport: one connection per client either way. An https URL speaks HTTP/2 (ForceAttemptHTTP2 with a custom
// TLS config; all the client's requests are streams on that one connection), http speaks HTTP/1.1 keep-alive.
func clientTransport(url string) *http.Transport {
	t := &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, DisableCompression: true}
	if strings.HasPrefix(url, "https://") {
		t.ForceAttemptHTTP2 = true
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return t
}
