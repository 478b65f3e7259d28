package nullblk

import "sync"

// pageSize is null_blk's storage granule (PAGE_SIZE).
const pageSize = 4096

// pagesPerLeaf pages hang off one leaf of the two-level page index; the
// top level is allocated with the first write, leaves as the written range
// grows, so an unwritten 4 GiB device costs nothing.
const pagesPerLeaf = 512

type page [pageSize]byte

type leaf [pagesPerLeaf]*page

// pagePool keeps pages and leaves of closed devices for the next device.
// The harness creates a device per trial; without the pool every
// memory-backed trial would hand gigabytes to the garbage collector.
// sync.Pool is not used because it empties on every GC cycle.
var pagePool struct {
	mu     sync.Mutex
	pages  []*page
	leaves []*leaf
}

func allocPage() *page {
	pagePool.mu.Lock()
	if n := len(pagePool.pages); n > 0 {
		p := pagePool.pages[n-1]
		pagePool.pages = pagePool.pages[:n-1]
		pagePool.mu.Unlock()
		clear(p[:])
		return p
	}
	pagePool.mu.Unlock()
	return new(page)
}

func allocLeaf() *leaf {
	pagePool.mu.Lock()
	if n := len(pagePool.leaves); n > 0 {
		l := pagePool.leaves[n-1]
		pagePool.leaves = pagePool.leaves[:n-1]
		pagePool.mu.Unlock()
		return l
	}
	pagePool.mu.Unlock()
	return new(leaf)
}

// pageStore is null_blk's memory-backed storage: sparse, written pages
// only. Reads of never-written pages return zeros. Callers serialise
// access, as null_blk does with the device lock around data transfer.
type pageStore struct {
	leaves []*leaf
	npages uint64
}

func newPageStore(sizeBytes int64) *pageStore {
	return &pageStore{npages: uint64(sizeBytes) / pageSize}
}

func (s *pageStore) lookup(pg uint64, create bool) *page {
	li := pg / pagesPerLeaf
	if s.leaves == nil {
		if !create {
			return nil
		}
		s.leaves = make([]*leaf, (s.npages+pagesPerLeaf-1)/pagesPerLeaf)
	}
	l := s.leaves[li]
	if l == nil {
		if !create {
			return nil
		}
		l = allocLeaf()
		s.leaves[li] = l
	}
	p := l[pg%pagesPerLeaf]
	if p == nil && create {
		p = allocPage()
		l[pg%pagesPerLeaf] = p
	}
	return p
}

// write copies buf into the store at byte offset off.
func (s *pageStore) write(off uint64, buf []byte) {
	for len(buf) > 0 {
		p := s.lookup(off/pageSize, true)
		n := copy(p[off%pageSize:], buf)
		buf = buf[n:]
		off += uint64(n)
	}
}

// read copies the store at byte offset off into buf, zeros where nothing
// was written.
func (s *pageStore) read(off uint64, buf []byte) {
	for len(buf) > 0 {
		in := off % pageSize
		n := min(uint64(len(buf)), pageSize-in)
		if p := s.lookup(off/pageSize, false); p != nil {
			copy(buf[:n], p[in:])
		} else {
			clear(buf[:n])
		}
		buf = buf[n:]
		off += n
	}
}

// release hands every page and leaf back to the pool.
func (s *pageStore) release() {
	if s.leaves == nil {
		return
	}
	pagePool.mu.Lock()
	for i, l := range s.leaves {
		if l == nil {
			continue
		}
		for j, p := range l {
			if p != nil {
				pagePool.pages = append(pagePool.pages, p)
				l[j] = nil
			}
		}
		pagePool.leaves = append(pagePool.leaves, l)
		s.leaves[i] = nil
	}
	pagePool.mu.Unlock()
	s.leaves = nil
}
