// Command sumdb-server is a real checksum database for tests: golang.org/x/mod/sumdb's server and test
// storage, signing with a key generated at start, serving the go.sum lines of a file.
//
// Usage: sumdb-server <name> <go.sum file>
// It prints the verifier key, then the base URL (http://127.0.0.1:port), one per line, and serves until
// stdin closes. The go.sum file is read at each lookup of a module version not yet in the log, so a test
// can add lines (or serve a module the file does not know: then the lookup answers 404).
package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	name, file := os.Args[1], os.Args[2]
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		fail(err)
	}
	gosum := func(path, vers string) ([]byte, error) {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var out strings.Builder
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == path && (f[1] == vers || f[1] == vers+"/go.mod") {
				out.WriteString(sc.Text() + "\n")
			}
		}
		if out.Len() == 0 {
			return nil, os.ErrNotExist
		}
		return []byte(out.String()), nil
	}
	srv := sumdb.NewServer(sumdb.NewTestServer(skey, gosum))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Println(vkey)
	fmt.Println("http://" + ln.Addr().String())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	fail(http.Serve(ln, srv))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sumdb-server:", err)
	os.Exit(1)
}
