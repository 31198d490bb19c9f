package report

// jsonOutput writes a JSON array, one result per line, so that a large
// batch is never held in memory.
type jsonOutput struct {
	w *writer
	n int
}

func (j *jsonOutput) Encode(v any) ([]byte, error) { return Marshal(encodeBuf(), v) }

func (j *jsonOutput) Put(v any) error {
	if _, ok := v.(interface{ document() }); ok {
		// The whole output, not an element of an array.
		b, err := Marshal(nil, v)
		if err != nil {
			return err
		}
		j.n = -1
		j.w.Write(append(b, '\n'))
		return j.w.err
	}
	b, err := Marshal(nil, v)
	if err != nil {
		return err
	}
	return j.PutEncoded(b)
}

func (j *jsonOutput) PutEncoded(b []byte) error {
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	j.w.WriteString(sep)
	_, err := j.w.Write(b)
	recycle(b)
	return err
}

func (j *jsonOutput) Close() error {
	if j.n < 0 {
		return j.w.flush()
	}
	if j.n == 0 {
		j.w.WriteString("[]\n")
	} else {
		j.w.WriteString("\n]\n")
	}
	return j.w.flush()
}
