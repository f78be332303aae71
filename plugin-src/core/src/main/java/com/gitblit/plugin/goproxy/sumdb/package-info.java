/**
 * The checksum database's formats and proofs, pure code shared by the dependency proxy's verifying client and
 * the forge's own database: signed notes ({@link SignedNote}, {@link NoteVerifier}, Ed25519 verification (BouncyCastle, bundled relocated) in
 * {@link Ed25519}), the transparency log's hashes, tiles and proofs ({@link Tlog}, {@link TileHashes}), and the
 * client that proves a module version's go.sum lines are in the signed log ({@link ChecksumDatabase}).
 *
 * <p>The rules, in the order a lookup applies them:
 * <ol>
 *   <li>a verifier key is {@code name+hash+base64(0x01 || 32-byte Ed25519 key)}, the hash being the first four
 *       bytes of SHA-256 over {@code name "\n" key};</li>
 *   <li>a signed note is UTF-8 text without control characters but newline, a blank line, then lines
 *       {@code "— name base64(keyhash || signature)"}; a known key's signature must verify, unknown ones are
 *       ignored, and at least one known key must have signed;</li>
 *   <li>a tree head is the note text {@code "go.sum database tree\nN\nbase64(root)\n"};</li>
 *   <li>a record's leaf hash is SHA-256(0x00 || text), an interior node SHA-256(0x01 || left || right), the tree
 *       is RFC 6962's; a record is proven by recomputing the signed root from its leaf and hashes read from
 *       tiles, and a newer tree is proven to extend an older one by recomputing both roots from one set of
 *       hashes.</li>
 * </ol>
 * Nothing here imports servlet, Gitblit or Jetty code.
 */
package com.gitblit.plugin.goproxy.sumdb;
