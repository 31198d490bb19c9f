//go:build race

package screen

// raceEnabled: the race detector slows code several times; latency gates
// do not apply.
const raceEnabled = true
