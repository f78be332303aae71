/**
 * What makes served versions permanent and cheap: the version ledger (module@version → commit and h1,
 * never changed once written), the evictable on-disk artifact store (atomic writes), and one build per key.
 */
package com.gitblit.plugin.goproxy.cache;
