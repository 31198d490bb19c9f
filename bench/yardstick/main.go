// Command yardstick is what chipcheck's speed is measured against: the Go
// standard library decoding every line of a JSONL file into a generic
// value (map[string]any) and encoding it again, on every core, output in
// input order, like `chipcheck check FILE -o jsonl` reads and writes. A
// checker that also validates, classifies, screens and judges each order
// should still take at most half of this time (bench/orderbook -yardstick
// runs both side by side and reports the ratio).
//
//	go run ./bench/yardstick BOOK.jsonl > /dev/null
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yardstick FILE.jsonl (- for stdin)")
		os.Exit(2)
	}
	in := io.Reader(os.Stdin)
	if os.Args[1] != "-" {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	if err := run(in, out); err != nil {
		fmt.Fprintln(os.Stderr, "yardstick:", err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "yardstick:", err)
		os.Exit(1)
	}
}

// batch is consecutive lines, decoded and re-encoded by one worker.
type batch struct {
	lines [][]byte
	out   chan []byte
	err   error
}

func run(in io.Reader, out io.Writer) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *batch, workers)
	order := make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				var buf []byte
				for _, l := range b.lines {
					var v any
					if err := json.Unmarshal(l, &v); err != nil {
						b.err = err
						break
					}
					enc, err := json.Marshal(v)
					if err != nil {
						b.err = err
						break
					}
					buf = append(append(buf, enc...), '\n')
				}
				b.out <- buf
			}
		})
	}
	var readErr error
	go func() {
		defer close(jobs)
		defer close(order)
		r := bufio.NewReaderSize(in, 1<<20)
		for {
			b := &batch{out: make(chan []byte, 1)}
			for len(b.lines) < 512 {
				l, err := r.ReadBytes('\n')
				if len(l) > 0 {
					b.lines = append(b.lines, l)
				}
				if err != nil {
					if err != io.EOF {
						readErr = err
					}
					order <- b
					jobs <- b
					return
				}
			}
			order <- b
			jobs <- b
		}
	}()
	var err error
	for b := range order {
		buf := <-b.out
		if err == nil {
			err = b.err
		}
		if err == nil {
			_, err = out.Write(buf)
		}
	}
	wg.Wait()
	if err == nil {
		err = readErr
	}
	return err
}
