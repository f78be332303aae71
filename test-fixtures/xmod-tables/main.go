// Command xmod-tables prints the test tables of golang.org/x/mod's own tests (module_test.go,
// pseudo_test.go, semver_test.go), read from the installed sources, as JSON lines, so the Java tests use
// x/mod's cases as they are, not a copy that could drift.
//
//	go run main.go <x/mod source dir>
//
// Output: {"table":"checkPathTests","fields":{"path":"x.y/z","ok":true,...}} per row.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
)

var tables = map[string]string{
	"module/module_test.go:checkTests":            "checkTests",
	"module/module_test.go:checkPathTests":        "checkPathTests",
	"module/module_test.go:splitPathVersionTests": "splitPathVersionTests",
	"module/module_test.go:escapeTests":           "escapeTests",
	"module/pseudo_test.go:pseudoTests":           "pseudoTests",
	"semver/semver_test.go:tests":                 "semverTests",
}

func main() {
	root := os.Args[1]
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, file := range []string{"module/module_test.go", "module/pseudo_test.go", "semver/semver_test.go"} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(root, file), nil, 0)
		if err != nil {
			fail(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					table, ok := tables[file+":"+name.Name]
					if !ok || i >= len(vs.Values) {
						continue
					}
					lit := vs.Values[i].(*ast.CompositeLit)
					fieldNames := structFields(lit.Type.(*ast.ArrayType).Elt.(*ast.StructType))
					for _, elt := range lit.Elts {
						row := map[string]interface{}{}
						for k, e := range elt.(*ast.CompositeLit).Elts {
							if kv, ok := e.(*ast.KeyValueExpr); ok {
								row[kv.Key.(*ast.Ident).Name] = value(kv.Value)
							} else {
								row[fieldNames[k]] = value(e)
							}
						}
						enc.Encode(map[string]interface{}{"table": table, "fields": row})
					}
				}
			}
		}
	}
}

func structFields(st *ast.StructType) []string {
	var names []string
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

// value evaluates the literal kinds these tables use. Strings are emitted as base64 of their bytes, because
// some hold invalid UTF-8 on purpose.
func value(e ast.Expr) interface{} {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			s, err := strconv.Unquote(v.Value)
			if err != nil {
				fail(err)
			}
			return map[string][]byte{"s": []byte(s)}
		}
		return v.Value
	case *ast.Ident:
		if v.Name == "true" || v.Name == "false" {
			return v.Name == "true"
		}
	}
	fail(fmt.Errorf("unsupported literal %T", e))
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
