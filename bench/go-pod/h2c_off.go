//go:build !h2c

package main

import (
	"fmt"
	"net/http"
	"os"
)

func serveH2C(addr string) {
	fmt.Fprintln(os.Stderr, "-h2c needs a build with -tags h2c (golang.org/x/net/http2)")
	os.Exit(2)
}

func h2cTransport() http.RoundTripper {
	fmt.Fprintln(os.Stderr, "h2c:// targets need a build with -tags h2c (golang.org/x/net/http2)")
	os.Exit(2)
	return nil
}
