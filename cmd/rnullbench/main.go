// Command rnullbench measures what a block driver's per-request refcount
// costs when its operations are out-of-line helper calls instead of inline
// atomics, on an in-process model of the Linux null block device, and
// reports the change with honest confidence intervals.
//
// The command only binds flags, opens files and maps errors to exit
// codes; the work is done by the packages workloads, harness, nullblk,
// stats and results.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes are a contract with CI scripts (see the README).
const (
	exitOK          = 0
	exitRegression  = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad input: exit 2 with a one-line message.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errInterrupted means the run was stopped by a signal after it flushed
// what it had measured.
var errInterrupted = errors.New("interrupted")

// errRegression means check found a regression (exit 1); its report has
// already been printed.
var errRegression = errors.New("regression found")

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"compare", "run every backend on a matrix, interleaved, and report the change against the baseline", runCompare},
		{"run", "run one backend on a matrix and record the trials", runRun},
		{"report", "analyse trial files (ours or raw CSV) and render a report", runReport},
		{"check", "exit 1 when a configuration regressed beyond --max-regression", runCheck},
		{"matrix", "list the configurations a matrix consists of", runMatrix},
		{"merge", "join the outputs of sharded runs of one plan", runMerge},
		{"calibrate", "measure each backend's refcount operations in ns", runCalibrate},
	}
}

// run is the testable entry point: it never calls os.Exit.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errRegression):
			return exitRegression
		case errors.Is(err, errInterrupted):
			fmt.Fprintf(stderr, "rnullbench %s: interrupted; what was measured is kept (continue with --resume)\n", c.name)
			return exitInterrupted
		default:
			fmt.Fprintf(stderr, "rnullbench %s: %s\n", c.name, oneLine(err.Error()))
			return exitUsage
		}
	}
	fmt.Fprintf(stderr, "rnullbench: unknown command %q (want one of %s; see rnullbench --help)\n", args[0], commandNames())
	return exitUsage
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

func topUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: rnullbench COMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'rnullbench COMMAND --help' for its flags and examples.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 regression (check), 2 bad input, 130 interrupted.")
}

// oneLine keeps an error message to one line, as scripts expect.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// newFlags makes a flag set whose errors come back to us as one line and
// whose --help prints usage and examples on stdout.
func newFlags(name, synopsis, examples string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error; we print usage
	// only for --help and keep errors to one line.
	fs.Usage = func() {}
	usage[fs] = func() {
		fmt.Fprintf(stdout, "usage: rnullbench %s %s\n\nflags:\n", name, synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if examples != "" {
			fmt.Fprintf(stdout, "\nexamples:\n%s", examples)
		}
	}
	return fs
}

// usage holds each flag set's --help printer.
var usage = map[*flag.FlagSet]func(){}

// parseFlags parses flags anywhere among the arguments (users write
// "report FILE --format csv" as often as the other order), turns flag
// errors into usage errors, and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage[fs]()
				return nil, err
			}
			return nil, usagef("%v (see rnullbench %s --help)", err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// flag stops at "--" or at the first non-flag argument.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// setFlags reports which flags the user gave explicitly.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
