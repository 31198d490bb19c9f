package cli

import (
	"fmt"
	"os"
	"testing"

	"github.com/spf13/viper"
	"golang.org/x/sys/unix"
)

// cliOpenPTY opens a pseudo-terminal and returns its terminal side, or skips
// the test where there is none.
func cliOpenPTY(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open terminal side: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestInteractive: the progress bar is for a person at a terminal: only a
// terminal stderr, without --quiet and outside CI, gets one. (The negative
// cases with pipes and files are in TestNoProgressWhenNotATerminal; this
// shows they are negative for the right reason.)
func TestInteractive(t *testing.T) {
	tty := cliOpenPTY(t)
	tests := []struct {
		name  string
		quiet bool
		ci    string
		want  bool
	}{
		{"terminal", false, "", true},
		{"terminal, quiet", true, "", false},
		{"terminal under CI", false, "true", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			a := &app{stderr: tty, v: viper.New()}
			a.v.Set("quiet", tt.quiet)
			if got := a.interactive(); got != tt.want {
				t.Errorf("interactive() = %v, want %v", got, tt.want)
			}
		})
	}
}
