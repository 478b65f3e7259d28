package harness

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
)

// Version is the tool's version, set at link time by release builds
// (-ldflags "-X github.com/rnullbench/rnullbench/harness.Version=v1.2.3").
var Version = "dev"

// CaptureEnv records where a run happens, once per run, so that two
// reports can be told apart by machine, kernel and tool build.
func CaptureEnv(args []string) results.Env {
	host, _ := os.Hostname()
	e := results.Env{
		GoVersion:   runtime.Version(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		NumCPU:      runtime.NumCPU(),
		CPUModel:    cpuModel(),
		Kernel:      kernelRelease(),
		Host:        host,
		ToolVersion: Version,
		Args:        append([]string(nil), args...),
	}
	if err := nullblk.CheckCodeLayout(); err != nil {
		e.CodeLayout = err.Error()
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				e.Commit = s.Value
			case "vcs.modified":
				if s.Value == "true" && e.Commit != "" {
					e.Commit += "+dirty"
				}
			}
		}
		if e.ToolVersion == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			e.ToolVersion = bi.Main.Version
		}
	}
	return e
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func kernelRelease() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return runtime.GOOS + " " + strings.TrimSpace(string(b))
}
