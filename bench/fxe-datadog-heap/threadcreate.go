// Writes Go's threadcreate profile (runtime/pprof, sample type threadcreate/count: the stacks that created OS
// threads), a pprof file none of whose columns the judge compares.
// Usage: go run threadcreate.go OUT.pb.gz
package main

import (
	"os"
	"runtime/pprof"
)

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := pprof.Lookup("threadcreate").WriteTo(f, 0); err != nil {
		panic(err)
	}
}
