package report

// jsonlOutput writes one JSON result per line.
type jsonlOutput struct{ w *writer }

func (j *jsonlOutput) Encode(v any) ([]byte, error) {
	b, err := Marshal(nil, v)
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
	return err
}

func (j *jsonlOutput) Close() error { return j.w.flush() }
