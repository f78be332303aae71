package com.gitblit.plugin.goproxy.sumdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The signing half of a note key, in the go command's text forms: the signer key
 * {@code PRIVATE+KEY+name+hash+base64(0x01 || seed)} (kept secret) and the verifier key
 * {@code name+hash+base64(0x01 || public key)} that clients put in GOSUMDB.
 */
public final class NoteSigner {
    private static final String PREFIX = "PRIVATE+KEY+";
    private static final byte ALG_ED25519 = 1;

    private final String name;
    private final int keyHash;
    private final byte[] seed;
    private final String verifierKey;

    private NoteSigner(String name, byte[] seed) {
        this.name = name;
        this.seed = seed;
        byte[] pub = withAlgorithm(Ed25519.publicKey(seed));
        this.keyHash = NoteVerifier.keyHash(name, pub);
        this.verifierKey = name + "+" + String.format("%08x", keyHash) + "+" + Base64.getEncoder().encodeToString(pub);
    }

    /** A new key for the database {@code name}. */
    public static NoteSigner generate(String name, SecureRandom random) throws SumdbException {
        if (!NoteVerifier.validName(name)) {
            throw new SumdbException("invalid checksum database name " + name);
        }
        byte[] seed = new byte[Ed25519.PRIVATE_KEY_SIZE];
        random.nextBytes(seed);
        return new NoteSigner(name, seed);
    }

    /** Parses a signer key; the message says what is wrong without repeating the secret. */
    public static NoteSigner parse(String skey) throws SumdbException {
        String trimmed = skey.trim();
        if (!trimmed.startsWith(PREFIX)) {
            throw new SumdbException("malformed signer key: want PRIVATE+KEY+name+hash+key");
        }
        String[] parts = trimmed.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3 || !NoteVerifier.validName(parts[0]) || parts[1].length() != 8) {
            throw new SumdbException("malformed signer key: want PRIVATE+KEY+name+hash+key");
        }
        byte[] key;
        int hash;
        try {
            key = Base64.getDecoder().decode(parts[2]);
            hash = (int) Long.parseLong(parts[1], 16);
        } catch (IllegalArgumentException e) {
            throw new SumdbException("malformed signer key: bad hash or base64 key");
        }
        if (key.length != 1 + Ed25519.PRIVATE_KEY_SIZE || key[0] != ALG_ED25519) {
            throw new SumdbException("malformed signer key: not an Ed25519 key");
        }
        NoteSigner signer = new NoteSigner(parts[0], Arrays.copyOfRange(key, 1, key.length));
        if (signer.keyHash != hash) {
            throw new SumdbException("malformed signer key: the key hash does not match the key");
        }
        return signer;
    }

    public String name() {
        return name;
    }

    /** What clients trust: {@code GOSUMDB="<verifier key> <url>"}. */
    public String verifierKey() {
        return verifierKey;
    }

    /** The signer key text, for the key file only. */
    public String signerKey() {
        return PREFIX + name + "+" + String.format("%08x", keyHash) + "+"
                + Base64.getEncoder().encodeToString(withAlgorithm(seed));
    }

    /** {@code text} (ending in a newline) as a signed note: the text, a blank line, one signature line. */
    public byte[] sign(String text) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        byte[] sig = Ed25519.sign(seed, message);
        byte[] line = ByteBuffer.allocate(4 + sig.length).putInt(keyHash).put(sig).array();
        String signature = "\u2014 " + name + " " + Base64.getEncoder().encodeToString(line) + "\n";
        return (text + "\n" + signature).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withAlgorithm(byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = ALG_ED25519;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "signer " + verifierKey;
    }
}
