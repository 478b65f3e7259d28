package nullblk

import (
	"math/bits"
	"sync/atomic"
)

// request is the rnull Request: the C struct request plus the Rust
// private data with its refcount. Requests live in their tag set for the
// device's lifetime, one per tag, as blk-mq's static requests do, so a
// stale tag always names valid memory and tag_to_rq only has to guard the
// refcount.
type request struct {
	ref    refcount
	tag    int32
	write  bool
	bytes  uint32
	sector uint64 // in 512-byte sectors, as the block layer counts
	owner  *job   // the submitter that waits for this request's completion
	start  int64  // nanotime at submission when the request's latency is sampled, else 0

	inflight atomic.Bool // invariant checks only: queued and not yet ended
}

// tagSet is a blk-mq tag set: a bitmap of tags and the requests they name.
// A set bit is a tag in use. Allocation is lock-free (a CAS on one word);
// freeing is a single atomic AND, as sbitmap does.
type tagSet struct {
	words []atomic.Uint64
	rqs   []request
	depth int
}

func newTagSet(depth int, warns *atomic.Uint64) *tagSet {
	ts := &tagSet{
		words: paddedWords((depth + 63) / 64),
		rqs:   make([]request, depth),
		depth: depth,
	}
	// Bits past depth in the last word are permanently set so get never
	// hands them out.
	if r := depth % 64; r != 0 {
		ts.words[len(ts.words)-1].Store(^uint64(0) << r)
	}
	for i := range ts.rqs {
		ts.rqs[i].tag = int32(i)
		ts.rqs[i].ref.warns = warns
	}
	return ts
}

// get allocates a free tag, starting at the word *hint (a per-submitter
// hint, like sbitmap's per-CPU one, so submitters sharing a set do not all
// fight over word 0). It returns -1 when every tag is in use. The first
// try on the hinted word is small enough to inline.
func (ts *tagSet) get(hint *int) int {
	w := *hint
	word := &ts.words[w]
	if old := word.Load(); old != ^uint64(0) {
		b := bits.TrailingZeros64(^old)
		if word.CompareAndSwap(old, old|1<<b) {
			return w<<6 | b
		}
	}
	return ts.getSlow(hint)
}

// getSlow scans every word from the hint on.
func (ts *tagSet) getSlow(hint *int) int {
	n := len(ts.words)
	w := *hint
	for range n {
		if w >= n {
			w = 0
		}
		word := &ts.words[w]
		for {
			old := word.Load()
			if old == ^uint64(0) {
				break
			}
			b := bits.TrailingZeros64(^old)
			if word.CompareAndSwap(old, old|1<<b) {
				*hint = w
				return w<<6 | b
			}
		}
		w++
	}
	return -1
}

// put frees a tag.
func (ts *tagSet) put(tag int) {
	ts.words[tag>>6].And(^(uint64(1) << (tag & 63)))
}

// busy reports whether a tag is in use, for the timeout scanner.
func (ts *tagSet) busy(tag int) bool {
	return ts.words[tag>>6].Load()&(1<<(tag&63)) != 0
}

// inUse counts the tags in use; a drained device has none.
func (ts *tagSet) inUse() int {
	n := 0
	for i := range ts.words {
		n += bits.OnesCount64(ts.words[i].Load())
	}
	if r := ts.depth % 64; r != 0 {
		n -= 64 - r
	}
	return n
}

// completionQueue is a hardware completion queue as the softirq path sees
// it: entries carry only a tag. It is a bitmap of posted tags; posting is
// one atomic OR, and the completion context claims a whole word of entries
// with one swap. Any number of producers and consumers may share it.
type completionQueue struct {
	words []atomic.Uint64
}

func newCompletionQueue(depth int) completionQueue {
	return completionQueue{words: paddedWords((depth + 63) / 64)}
}

func (cq *completionQueue) post(tag int) {
	cq.words[tag>>6].Or(uint64(1) << (tag & 63))
}

// paddedWords allocates n atomic words with a cache line of padding on
// either side, so the hot bitmap word of one queue never shares a line
// with another queue's.
func paddedWords(n int) []atomic.Uint64 {
	return make([]atomic.Uint64, n+16)[8 : 8+n : 8+n]
}
