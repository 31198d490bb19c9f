package report

import "sync"

// bufs recycles encoding buffers: PutEncoded copies a decision into the
// output buffer, and the next Encode, in any worker, appends into the same
// memory instead of growing a fresh slice (about 2.5 KiB a decision).
var bufs sync.Pool // of *[]byte

func encodeBuf() []byte {
	if p, ok := bufs.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 4096)
}

// recycle hands b back once its bytes are written; buffers grown past
// 64 KiB by an unusual decision are left to the collector.
func recycle(b []byte) {
	if cap(b) <= 64<<10 {
		b = b[:0]
		bufs.Put(&b)
	}
}

// jsonlOutput writes one JSON result per line.
type jsonlOutput struct{ w *writer }

func (j *jsonlOutput) Encode(v any) ([]byte, error) {
	b, err := Marshal(encodeBuf(), v)
	return append(b, '\n'), err
}

func (j *jsonlOutput) Put(v any) error {
	b, err := j.Encode(v)
	if err != nil {
		return err
	}
	return j.PutEncoded(b)
}

func (j *jsonlOutput) PutEncoded(b []byte) error {
	_, err := j.w.Write(b)
	recycle(b)
	return err
}

func (j *jsonlOutput) Close() error { return j.w.flush() }
