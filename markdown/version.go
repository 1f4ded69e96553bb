package markdown

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// Version is a Kubernetes release as the site's version shortcodes use it.
type Version struct {
	Major, Minor, Patch int
}

// DefaultVersion is the Kubernetes release of the client-go docrun is built
// with: the site version used when none is set.
func DefaultVersion() Version {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/client-go" {
				// client-go v0.37.2 belongs to Kubernetes v1.37.2.
				if v, err := ParseVersion(strings.Replace(d.Version, "v0.", "1.", 1)); err == nil {
					return v
				}
			}
		}
	}
	return Version{Major: 1, Minor: 37, Patch: 2}
}

// ParseVersion reads "v1.21", "1.21" or "1.21.3" (a leading v and a
// pre-release or build suffix are accepted).
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(t, "-+"); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid Kubernetes version %q (want 1.N or 1.N.P)", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("invalid Kubernetes version %q (want 1.N or 1.N.P)", s)
		}
		n[i] = v
	}
	return Version{Major: n[0], Minor: n[1], Patch: n[2]}, nil
}

// MinorString is "1.37".
func (v Version) MinorString() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// PatchString is "1.37.2".
func (v Version) PatchString() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// skew evaluates the website's skew shortcode.
func (v Version) skew(args []string) (string, error) {
	if len(args) == 0 {
		return "", fmt.Errorf("skew needs an argument")
	}
	switch args[0] {
	case "currentVersion", "latestVersion", "nextMinorVersion", "prevMinorVersion", "oldestMinorVersion":
		switch args[0] {
		case "nextMinorVersion":
			v.Minor++
		case "prevMinorVersion":
			v.Minor--
		case "oldestMinorVersion":
			// The oldest release still maintained: three back.
			v.Minor -= 3
		}
		return v.MinorString(), nil
	case "currentPatchVersion", "latestPatchVersion":
		return v.PatchString(), nil
	case "currentVersionAddMinor", "latestVersionAddMinor":
		if len(args) < 2 {
			return "", fmt.Errorf("skew %s needs a number", args[0])
		}
		n, err := strconv.Atoi(args[1])
		if err != nil {
			return "", fmt.Errorf("skew %s: %q is not a number", args[0], args[1])
		}
		sep := "."
		if len(args) > 2 {
			sep = args[2]
		}
		return fmt.Sprintf("%d%s%d", v.Major, sep, v.Minor+n), nil
	}
	return "", fmt.Errorf("unknown skew argument %q", args[0])
}
