// Command oracle-zip builds module zips from directories with golang.org/x/mod/zip (CreateFromDir, CheckDir)
// and prints what it decided, so the Java zip rules can be compared with the real thing.
//
// One request per line on stdin: "dir<TAB>modulePath<TAB>version" (plain text, no tabs or newlines inside).
// One answer per line: "OK<TAB>h1<TAB>valid files joined by \x00" or "ERR<TAB><TAB>valid files".
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		dir, path, version := f[0], f[1], f[2]
		cf, _ := zip.CheckDir(dir)
		var valid []string
		for _, v := range cf.Valid {
			rel, _ := filepath.Rel(dir, v)
			valid = append(valid, filepath.ToSlash(rel))
		}
		tmp, err := os.CreateTemp("", "oracle-*.zip")
		if err != nil {
			fail(err)
		}
		err = zip.CreateFromDir(tmp, module.Version{Path: path, Version: version}, dir)
		tmp.Close()
		h1 := ""
		if err == nil {
			h1, err = dirhash.HashZip(tmp.Name(), dirhash.Hash1)
		}
		os.Remove(tmp.Name())
		verdict := "OK"
		if err != nil {
			verdict = "ERR"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\n", verdict, h1, strings.Join(valid, "\x00"))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
