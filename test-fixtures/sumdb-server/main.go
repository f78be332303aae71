// Command sumdb-server is a real checksum database for tests: golang.org/x/mod/sumdb's server and test
// storage, signing with a key generated at start, serving the go.sum lines of a file.
//
// Usage: sumdb-server <name> <go.sum file> [<signer key>]
// It prints the verifier key, the base URL (http://127.0.0.1:port) and the signer key, one per line, and serves
// until stdin closes. Given a signer key (from an earlier run), it signs with that one: a second database with
// the same key and another history, as a test of fork detection needs. The go.sum file is read at each lookup of a module version not yet in the log, so a test
// can add lines (or serve a module the file does not know: then the lookup answers 404).
package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
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
	if len(os.Args) > 3 {
		skey = os.Args[3]
		signer, err := note.NewSigner(skey)
		if err != nil {
			fail(err)
		}
		vkey = verifierOf(signer, skey)
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
	fmt.Println(skey)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	fail(http.Serve(ln, srv))
}

// verifierOf rebuilds the verifier key of a signer key "PRIVATE+KEY+name+hash+base64(alg || seed)".
func verifierOf(signer note.Signer, skey string) string {
	parts := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil {
		fail(err)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		fail(err)
	}
	return vkey
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sumdb-server:", err)
	os.Exit(1)
}
