// Command oracle answers questions about Go's module rules with golang.org/x/mod itself, so the Java
// implementation can be compared with the real thing on generated inputs.
//
// Protocol: one request per line on stdin, "op<TAB>base64(arg)<TAB>base64(arg)...", one answer per line on
// stdout, "base64(field)<TAB>base64(field)...". Errors are answers too: the field "ERR" (then the message).
// Built at test time in GOPATH mode against Debian's x/mod: GO111MODULE=off GOPATH=/usr/share/gocode.
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	for in.Scan() {
		fields := strings.Split(in.Text(), "\t")
		args := make([]string, len(fields)-1)
		for i, f := range fields[1:] {
			b, err := base64.StdEncoding.DecodeString(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bad request:", err)
				os.Exit(2)
			}
			args[i] = string(b)
		}
		answer := run(fields[0], args)
		for i, a := range answer {
			if i > 0 {
				out.WriteByte('\t')
			}
			out.WriteString(base64.StdEncoding.EncodeToString([]byte(a)))
		}
		out.WriteByte('\n')
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func verdict(err error) string {
	if err != nil {
		return "ERR"
	}
	return "OK"
}

func run(op string, a []string) []string {
	switch op {
	case "checkPath":
		return []string{verdict(module.CheckPath(a[0]))}
	case "checkImportPath":
		return []string{verdict(module.CheckImportPath(a[0]))}
	case "checkFilePath":
		return []string{verdict(module.CheckFilePath(a[0]))}
	case "splitPathVersion":
		p, m, ok := module.SplitPathVersion(a[0])
		return []string{strconv.FormatBool(ok), p, m}
	case "escapePath":
		e, err := module.EscapePath(a[0])
		return []string{verdict(err), e}
	case "unescapePath":
		e, err := module.UnescapePath(a[0])
		return []string{verdict(err), e}
	case "escapeVersion":
		e, err := module.EscapeVersion(a[0])
		return []string{verdict(err), e}
	case "unescapeVersion":
		e, err := module.UnescapeVersion(a[0])
		return []string{verdict(err), e}
	case "semver":
		v := a[0]
		return []string{strconv.FormatBool(semver.IsValid(v)), semver.Canonical(v), semver.Major(v),
			semver.MajorMinor(v), semver.Prerelease(v), semver.Build(v), module.CanonicalVersion(v)}
	case "compare":
		return []string{strconv.Itoa(semver.Compare(a[0], a[1])), semver.Max(a[0], a[1])}
	case "pseudo":
		v := a[0]
		base, berr := module.PseudoVersionBase(v)
		t, terr := module.PseudoVersionTime(v)
		rev, rerr := module.PseudoVersionRev(v)
		ts := ""
		if terr == nil {
			ts = strconv.FormatInt(t.Unix(), 10)
		}
		return []string{strconv.FormatBool(module.IsPseudoVersion(v)), strconv.FormatBool(module.IsZeroPseudoVersion(v)),
			verdict(berr), base, verdict(terr), ts, verdict(rerr), rev}
	case "pseudoBuild":
		unix, _ := strconv.ParseInt(a[2], 10, 64)
		return []string{module.PseudoVersion(a[0], a[1], time.Unix(unix, 0), a[3])}
	case "checkPathMajor":
		return []string{verdict(module.CheckPathMajor(a[0], a[1]))}
	case "gomod":
		f, err := modfile.ParseLax("go.mod", []byte(a[0]), nil)
		if err != nil {
			return []string{"ERR"}
		}
		res := []string{"OK", "", "", ""}
		if f.Module != nil {
			res[1] = "M:" + f.Module.Mod.Path
		}
		if f.Go != nil {
			res[2] = f.Go.Version
		}
		var rs []string
		for _, r := range f.Retract {
			rs = append(rs, r.Low+" "+r.High)
		}
		res[3] = strings.Join(rs, "|")
		return res
	case "modulePathOf":
		return []string{modfile.ModulePath([]byte(a[0]))}
	case "autoQuote":
		return []string{modfile.AutoQuote(a[0])}
	case "fold":
		return []string{fold(a[0])}
	case "letter":
		r, _ := utf8.DecodeRuneInString(a[0])
		return []string{strconv.FormatBool(unicode.IsLetter(r))}
	}
	fmt.Fprintln(os.Stderr, "unknown op", op)
	os.Exit(2)
	return nil
}

// fold is x/mod zip's collision key (strToFold is unexported): each rune becomes the smallest of its
// SimpleFold orbit, A-Z become a-z.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		for {
			r0 := r
			r = unicode.SimpleFold(r0)
			if r <= r0 {
				break
			}
		}
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
