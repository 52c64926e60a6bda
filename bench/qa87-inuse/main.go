// qa87-inuse: Go heap profiles (as /debug/pprof/heap writes them) reduced to what Pyroscope answers for a Go service's
// live objects (memory:inuse_space:bytes:space:bytes and inuse_objects): the inuse_objects and inuse_space columns,
// the samples with live bytes, the same stacks, time and period. The cumulative alloc_* columns (most of a heap
// profile's samples, none of its live bytes) are dropped, so that a recording's per-minute heap profiles fit the test
// resources.
//
//	go run . IN.pb.gz OUT.pb.gz   (built by bench/qa87-assemble.py with Go's own vendored pprof package)
package main

import (
	"fmt"
	"os"

	"github.com/google/pprof/profile"
)

func main() {
	in, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	p, err := profile.Parse(in)
	in.Close()
	if err != nil {
		panic(err)
	}
	keep := []int{}
	space := -1
	for i, st := range p.SampleType {
		if st.Type == "inuse_objects" || st.Type == "inuse_space" {
			keep = append(keep, i)
			if st.Type == "inuse_space" {
				space = i
			}
		}
	}
	if space < 0 {
		panic(fmt.Sprintf("%s: no inuse_space column", os.Args[1]))
	}
	types := []*profile.ValueType{}
	for _, i := range keep {
		types = append(types, p.SampleType[i])
	}
	samples := []*profile.Sample{}
	for _, s := range p.Sample {
		if s.Value[space] == 0 {
			continue
		}
		v := []int64{}
		for _, i := range keep {
			v = append(v, s.Value[i])
		}
		s.Value = v
		samples = append(samples, s)
	}
	p.SampleType = types
	p.Sample = samples
	p.DefaultSampleType = "inuse_space"
	p = p.Compact()
	out, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	if err := p.Write(out); err != nil {
		panic(err)
	}
	out.Close()
}
