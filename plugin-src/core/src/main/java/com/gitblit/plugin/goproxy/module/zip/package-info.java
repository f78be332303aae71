/**
 * The module zip: which files of a module tree go into it (golang.org/x/mod/zip's rules, including the
 * Go 1.24 vendor rule), a validation pass that runs before the first byte is written, a streaming writer,
 * and the {@code h1:} hashes (dirhash) that go.sum records. JDK only.
 */
package com.gitblit.plugin.goproxy.module.zip;
