package com.gitblit.plugin.goproxy.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small synchronized least-recently-used map, bounded in entries. */
public final class BoundedMap<K, V> {
    private final Map<K, V> map;

    public BoundedMap(final int max) {
        this.map = new LinkedHashMap<K, V>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    public synchronized void remove(K key) {
        map.remove(key);
    }

    synchronized void removeKeysStartingWith(String prefix) {
        map.keySet().removeIf(k -> k.toString().startsWith(prefix));
    }

    synchronized void removeKeysEndingWith(String suffix) {
        map.keySet().removeIf(k -> k.toString().endsWith(suffix));
    }
}
