//go:build prom

package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveMetrics serves client_golang's default registry (its Go collector: go_memstats_*, go_gc_duration_seconds,
// go_goroutines) at /metrics.
func serveMetrics(addr string) {
	http.Handle("/metrics", promhttp.Handler())
	go http.ListenAndServe(addr, nil)
}
