package html

import (
	"container/list"
	"sync"
)

// blockCache is a concurrency-safe least-recently-used cache of strings,
// bounded by the bytes of its keys and values.
type blockCache struct {
	mu    sync.Mutex
	max   int // bytes
	size  int
	order *list.List // of *cacheEntry, most recently used first
	byKey map[string]*list.Element
}

type cacheEntry struct{ key, value string }

// newBlockCache returns a cache that holds at most max bytes.
func newBlockCache(max int) *blockCache {
	return &blockCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the value of key and marks it as recently used.
func (c *blockCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).value, true
}

// put stores value under key, evicting the least recently used entries
// beyond the bound. An entry larger than the bound is not stored.
func (c *blockCache) put(key, value string) {
	n := len(key) + len(value)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key, value})
	c.size += n
	for c.size > c.max {
		last := c.order.Back()
		ent := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.byKey, ent.key)
		c.size -= len(ent.key) + len(ent.value)
	}
}

// reset empties the cache.
func (c *blockCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byKey)
	c.size = 0
}
