//go:build !prom

package main

import (
	"fmt"
	"os"
)

func serveMetrics(addr string) {
	fmt.Fprintln(os.Stderr, "-metrics needs a build with -tags prom (client_golang)")
	os.Exit(2)
}

func registerMetrics() {
}
