// Command sumdb-check checks a checksum-database log written by the proxy (its files in one folder) with
// golang.org/x/mod/sumdb/tlog, Debian's copy: every stored hash equals what tlog.StoredHashes computes from the
// records, the committed root equals tlog.TreeHash, every hash tile equals tlog.ReadTileData's, and inclusion
// and consistency proofs made from the stored hashes check against the roots tlog computes.
//
// Usage: sumdb-check <log folder> <random seed>. Prints "ok <records>" or the first difference, and exits 1.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	dir := os.Args[1]
	seed, _ := strconv.ParseInt(os.Args[2], 10, 64)
	records := readRecords(dir)
	stored, err := os.ReadFile(filepath.Join(dir, "hashes"))
	check(err)
	tree, err := os.ReadFile(filepath.Join(dir, "tree"))
	check(err)
	lines := strings.Split(string(tree), "\n")
	n, err := strconv.ParseInt(lines[1], 10, 64)
	check(err)
	if n != int64(len(records)) {
		fail("tree says %d records, the records file holds %d", n, len(records))
	}

	// x/mod's own stored hashes, computed from the records alone.
	var want []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = want[x]
		}
		return out, nil
	})
	for i, r := range records {
		hs, err := tlog.StoredHashes(int64(i), r, reader)
		check(err)
		want = append(want, hs...)
	}
	if int64(len(stored)) != int64(len(want))*tlog.HashSize {
		fail("%d stored hashes, x/mod stores %d", len(stored)/tlog.HashSize, len(want))
	}
	for i, h := range want {
		if !bytes.Equal(h[:], stored[i*tlog.HashSize:(i+1)*tlog.HashSize]) {
			fail("stored hash %d differs", i)
		}
	}
	ours := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			copy(out[i][:], stored[x*tlog.HashSize:])
		}
		return out, nil
	})
	root, err := tlog.TreeHash(n, reader)
	check(err)
	if base64.StdEncoding.EncodeToString(root[:]) != lines[2] {
		fail("committed root %s, x/mod's tree hash %s", lines[2], root)
	}
	for _, t := range tlog.NewTiles(8, 0, n) {
		a, err := tlog.ReadTileData(t, reader)
		check(err)
		b, err := tlog.ReadTileData(t, ours)
		check(err)
		if !bytes.Equal(a, b) {
			fail("tile %s differs", t.Path())
		}
	}
	rnd := rand.New(rand.NewSource(seed))
	for k := 0; k < 200; k++ {
		size := 1 + rnd.Int63n(n)
		th, err := tlog.TreeHash(size, reader)
		check(err)
		i := rnd.Int63n(size)
		p, err := tlog.ProveRecord(size, i, ours)
		check(err)
		check(tlog.CheckRecord(p, size, th, i, tlog.RecordHash(records[i])))
		old := 1 + rnd.Int63n(size)
		oh, err := tlog.TreeHash(old, reader)
		check(err)
		tp, err := tlog.ProveTree(size, old, ours)
		check(err)
		check(tlog.CheckTree(tp, size, th, old, oh))
	}
	fmt.Println("ok", n)
}

func readRecords(dir string) [][]byte {
	data, err := os.ReadFile(filepath.Join(dir, "records"))
	check(err)
	var out [][]byte
	for len(data) > 0 {
		l := binary.BigEndian.Uint32(data)
		out = append(out, data[4:4+l])
		data = data[4+l:]
	}
	return out
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "sumdb-check: "+format+"\n", args...)
	os.Exit(1)
}
