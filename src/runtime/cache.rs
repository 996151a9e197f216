//! Bounded least-recently-used caches of compiled kernels and programs.

use std::collections::HashMap;
use std::hash::Hash;

/// A map that keeps at most `capacity` entries, evicting the one used
/// least recently. Eviction scans all entries: caches here hold at most a
/// few thousand, and evictions are rare next to hits.
pub(crate) struct LruCache<K, V> {
    entries: HashMap<K, (V, u64)>,
    clock: u64,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    /// An empty cache holding at most `capacity` entries.
    pub(crate) fn new(capacity: usize) -> LruCache<K, V> {
        LruCache {
            entries: HashMap::new(),
            clock: 0,
            capacity: capacity.max(1),
        }
    }

    /// The value for `key`, marking it used.
    pub(crate) fn get(&mut self, key: &K) -> Option<V> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(value, used)| {
            *used = clock;
            value.clone()
        })
    }

    /// Inserts a value; returns how many entries were evicted to make room.
    pub(crate) fn insert(&mut self, key: K, value: V) -> usize {
        self.clock += 1;
        let mut evicted = 0;
        while self.entries.len() >= self.capacity && !self.entries.contains_key(&key) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.entries.remove(&k);
                    evicted += 1;
                }
                None => break,
            }
        }
        self.entries.insert(key, (value, self.clock));
        evicted
    }
}

#[cfg(test)]
mod tests {
    use super::LruCache;

    #[test]
    fn evicts_the_least_recently_used() {
        let mut cache = LruCache::new(2);
        cache.insert(1, "a");
        cache.insert(2, "b");
        assert_eq!(cache.get(&1), Some("a"));
        assert_eq!(cache.insert(3, "c"), 1);
        assert_eq!(cache.get(&2), None);
        assert_eq!(cache.get(&1), Some("a"));
        assert_eq!(cache.get(&3), Some("c"));
    }
}
