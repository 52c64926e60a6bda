//go:build prom

package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveMetrics serves client_golang's default registry (its Go collector: go_memstats_*, go_gc_duration_seconds,
// go_goroutines) at /metrics.
func serveMetrics(addr string) {
	registerMetrics()
	go http.ListenAndServe(addr, nil)
}

// registerMetrics adds /metrics to the default mux (served by serveMetrics, or by -h2c's server).
func registerMetrics() {
	http.Handle("/metrics", promhttp.Handler())
}
