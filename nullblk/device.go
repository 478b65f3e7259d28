package nullblk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Counters are what one Run counted, summed over its submitters.
type Counters struct {
	Requests       uint64 // requests completed
	Bytes          uint64 // bytes transferred by completed requests
	RefcountWarns  uint64 // refcount_t WARNs (saturations); a correct run has none
	FailedEnds     uint64 // end attempts whose 2→0 CAS failed because another ARef existed
	TagToRqRetries uint64 // tag_to_rq CAS attempts that lost a race and looped
	TagWaits       uint64 // times a submitter found no free tag and waited for a completion
}

// Latency summarises the sampled completion latencies of a Run, from
// submission (queue_rq) to end, in nanoseconds.
type Latency struct {
	Samples                                    uint64
	MeanNs, P50Ns, P90Ns, P99Ns, P999Ns, MaxNs float64
}

// Result is one Run's measurement.
type Result struct {
	Counters
	Elapsed time.Duration // from the first submission to the end of the drain
	Latency Latency
}

// hwQueue is a blk-mq hardware context: its tag set (shared between the
// queues with shared_tags), the completion queue of the softirq path and
// the deadline ring of the timer path.
type hwQueue struct {
	tags *tagSet
	cq   completionQueue

	// The timer ring holds (deadline, tag) in submission order. The delay
	// is the same for every request, so submission order is deadline
	// order and the head is always the next to expire: one ring per queue,
	// polled by the queue's submitters, no timer per request.
	timerMu   sync.Mutex
	timer     []timerEntry
	thead     uint64
	ttail     uint64
	timerMask uint64
	_         [64]byte // keep queues' hot words on separate cache lines
}

type timerEntry struct {
	deadline int64
	tag      int32
}

func (q *hwQueue) timerPush(deadline int64, tag int) {
	q.timerMu.Lock()
	q.timer[q.ttail&q.timerMask] = timerEntry{deadline, int32(tag)}
	q.ttail++
	q.timerMu.Unlock()
}

// timerPop removes the head if it expired at now; next is the head's
// deadline when it did not (0 when the ring is empty).
func (q *hwQueue) timerPop(now int64) (tag int, next int64) {
	q.timerMu.Lock()
	if q.thead == q.ttail {
		q.timerMu.Unlock()
		return -1, 0
	}
	e := q.timer[q.thead&q.timerMask]
	if e.deadline > now {
		q.timerMu.Unlock()
		return -1, e.deadline
	}
	q.thead++
	q.timerMu.Unlock()
	return int(e.tag), 0
}

// Device is a null_blk device with its hardware queues. Runs on one device
// are sequential; create one device per concurrent run.
type Device struct {
	cfg    Config
	queues []hwQueue
	sets   []*tagSet // distinct tag sets (one with shared_tags)
	warns  atomic.Uint64
	stop   atomic.Bool

	scanRetries atomic.Uint64 // tag_to_rq retries of the timeout scanner

	storeMu sync.Mutex // null_blk's device lock around data transfer
	store   *pageStore
	buf     []byte // data buffer of every transfer, under storeMu

	jobs    []*job // reused across runs
	running atomic.Bool
	closed  bool
}

// NewDevice validates cfg and builds the device. It allocates the tag sets
// and their requests only; memory-backed pages come with the first write.
func NewDevice(cfg Config) (*Device, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := &Device{cfg: cfg, queues: make([]hwQueue, cfg.SubmitQueues)}
	var shared *tagSet
	if cfg.SharedTags {
		shared = newTagSet(cfg.HwQueueDepth, &d.warns)
		d.sets = []*tagSet{shared}
	}
	ringSize := uint64(1) << bits.Len(uint(cfg.HwQueueDepth-1))
	for i := range d.queues {
		q := &d.queues[i]
		q.tags = shared
		if q.tags == nil {
			q.tags = newTagSet(cfg.HwQueueDepth, &d.warns)
			d.sets = append(d.sets, q.tags)
		}
		switch cfg.IRQMode {
		case IRQSoftirq:
			q.cq = newCompletionQueue(cfg.HwQueueDepth)
		case IRQTimer:
			q.timer = make([]timerEntry, ringSize)
			q.timerMask = ringSize - 1
		}
	}
	if cfg.MemoryBacked {
		d.store = newPageStore(cfg.SizeMiB << 20)
	}
	return d, nil
}

// Config returns the device's configuration.
func (d *Device) Config() Config { return d.cfg }

// Close releases the device's memory-backed pages to a pool that later
// devices draw from. The device cannot run afterwards.
func (d *Device) Close() error {
	if d.running.Load() {
		return errors.New("nullblk: Close during Run")
	}
	if d.closed {
		return nil
	}
	d.closed = true
	if d.store != nil {
		d.storeMu.Lock()
		d.store.release()
		d.buf = nil
		d.storeMu.Unlock()
	}
	return nil
}

// job is one submitter (a fio job): its scratch state, private counters
// and latency histogram, touched by no other goroutine except remote.
type job struct {
	d       *Device
	q       *hwQueue
	store   *pageStore
	hint    int
	rng     uint64
	write   bool
	random  bool
	bs      uint32
	bsSect  uint64 // bs in 512-byte sectors
	nblocks uint64 // device size in units of bs
	seq     uint64
	iodepth int
	quota   uint64 // submissions left

	inflight    int
	sampleEvery int
	sampleLeft  int
	spins       int
	buf         []byte
	cnt         Counters
	lat         histogram
	inv         invariantCounts

	// remote counts this job's requests completed by another submitter of
	// the same queue; the job folds it in when it runs out of work.
	_      [64]byte
	remote atomic.Int64
	_      [56]byte
}

// splitmix64 derives independent per-job seeds from the job's seed.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// nextBlock returns the next offset in units of bs: wyrand for random
// patterns (uniform by Lemire's multiply-shift), sequential otherwise.
func (j *job) nextBlock() uint64 {
	if j.random {
		j.rng += 0xa0761d6478bd642f
		hi, lo := bits.Mul64(j.rng, j.rng^0xe7037ed1a0b428db)
		blk, _ := bits.Mul64(hi^lo, j.nblocks)
		return blk
	}
	blk := j.seq
	j.seq++
	if j.seq == j.nblocks {
		j.seq = 0
	}
	return blk
}

// prep fills in a freshly allocated request, as blk-mq does from a bio.
func (j *job) prep(rq *request) {
	rq.sector = j.nextBlock() * j.bsSect
	rq.bytes = j.bs
	rq.write = j.write
	rq.owner = j
}

// sample says whether this request's latency is timed, and if so returns
// the submission time.
func (j *job) sample() int64 {
	j.sampleLeft--
	if j.sampleLeft != 0 {
		return 0
	}
	j.sampleLeft = j.sampleEvery
	return nanotime()
}

// transfer copies the request's data in or out of the page store under the
// device lock, as null_blk's memory-backed path does.
func (j *job) transfer(rq *request) {
	j.d.storeMu.Lock()
	if rq.write {
		j.store.write(rq.sector<<9, j.buf)
	} else {
		j.store.read(rq.sector<<9, j.buf)
	}
	j.d.storeMu.Unlock()
}

// finish accounts a completed request and frees its tag. Everything read
// from rq is read before the tag goes back: after put, another submitter
// may reuse the request.
func (j *job) finish(ts *tagSet, rq *request, tag int) {
	j.cnt.Requests++
	j.cnt.Bytes += uint64(rq.bytes)
	if rq.start != 0 {
		j.lat.record(nanotime() - rq.start)
		rq.start = 0
	}
	owner := rq.owner
	ts.put(tag)
	if owner == j {
		j.inflight--
	} else {
		owner.remote.Add(1)
	}
}

// endRetry is the failed end_ok: another ARef exists (tag_to_rq took one),
// so the ender keeps its ARef and tries again once the other is dropped.
//
//go:noinline
func (j *job) endRetry() {
	j.cnt.FailedEnds++
	j.yield()
}

// yield backs off a submitter that cannot progress: spin a little, then
// let the goroutine that holds what it waits for run.
func (j *job) yield() {
	j.spins++
	if j.spins&15 == 0 {
		runtime.Gosched()
	}
}

// idle is called when a submitter could neither submit nor complete: other
// submitters of its queue may have completed its requests.
//
//go:noinline
func (j *job) idle() {
	if n := j.remote.Swap(0); n != 0 {
		j.inflight -= int(n)
		return
	}
	j.yield()
}

// tagWait is a submitter finding every tag of its queue in use.
//
//go:noinline
func (j *job) tagWait() {
	j.cnt.TagWaits++
	if n := j.remote.Swap(0); n != 0 {
		j.inflight -= int(n)
	}
	j.yield()
}

func (j *job) run() {
	// One switch per run, outside every loop: each case is a concrete copy
	// of the request path with its backend's operations compiled in.
	switch j.d.cfg.Backend {
	case BackendAtomic:
		j.runAtomic()
	case BackendHelper:
		j.runHelper()
	case BackendLTO:
		j.runLTO()
	case BackendHelperAtomic:
		j.runHelperAtomic()
	}
}

func (d *Device) scan() {
	switch d.cfg.Backend {
	case BackendAtomic:
		d.scanAtomic()
	case BackendHelper:
		d.scanHelper()
	case BackendLTO:
		d.scanLTO()
	case BackendHelperAtomic:
		d.scanHelperAtomic()
	}
}

// scanSleep waits between timeout-scanner passes; false when the run is
// over.
func (d *Device) scanSleep(done *atomic.Bool) bool {
	if d.cfg.ScanInterval < time.Microsecond {
		runtime.Gosched()
	} else {
		time.Sleep(d.cfg.ScanInterval)
	}
	return !done.Load()
}

func (d *Device) setupJobs(jb Job) {
	for len(d.jobs) < jb.NumJobs {
		d.jobs = append(d.jobs, new(job))
	}
	every := jb.LatencySampleEvery
	if every == 0 {
		every = DefaultLatencySampleEvery
	}
	nblocks := uint64(d.cfg.SizeMiB<<20) / uint64(jb.BS)
	// One data buffer for the device: transfers hold the device lock, so
	// the submitters can share it, and memory stays bounded by bs however
	// many jobs and requests in flight there are. The data's content does
	// not matter, only the copy's cost.
	if d.store != nil && cap(d.buf) < jb.BS {
		d.buf = make([]byte, jb.BS)
	}
	for i := range jb.NumJobs {
		j := d.jobs[i]
		var buf []byte
		if d.store != nil {
			buf = d.buf
		}
		*j = job{
			d:       d,
			q:       &d.queues[i%len(d.queues)],
			store:   d.store,
			rng:     splitmix64(jb.Seed + uint64(i)),
			write:   jb.Pattern.isWrite(),
			random:  jb.Pattern.isRandom(),
			bs:      uint32(jb.BS),
			bsSect:  uint64(jb.BS) >> 9,
			nblocks: nblocks,
			iodepth: jb.IODepth,
			quota:   math.MaxUint64,
		}
		if buf != nil {
			j.buf = buf[:jb.BS]
		}
		if every < 0 {
			j.sampleEvery, j.sampleLeft = math.MaxInt, math.MaxInt
		} else {
			// Stagger the first sample so jobs do not all time the same
			// request number.
			j.sampleEvery, j.sampleLeft = every, 1+int(j.rng%uint64(every))
		}
		if jb.Requests != 0 {
			n := uint64(jb.NumJobs)
			j.quota = jb.Requests / n
			if uint64(i) < jb.Requests%n {
				j.quota++
			}
		}
		// Submitters sharing a tag set start at different words, as
		// sbitmap's per-CPU hints do.
		sharers := i / len(d.queues)
		if d.cfg.SharedTags {
			sharers = i
		}
		j.hint = sharers % len(j.q.tags.words)
	}
}

// Run runs the job on the device until its duration has passed or its
// request count has completed, then drains the requests in flight. When
// ctx is cancelled first, Run stops early, drains, and returns what was
// measured together with ctx.Err().
func (d *Device) Run(ctx context.Context, jb Job) (Result, error) {
	if err := jb.Validate(d.cfg); err != nil {
		return Result{}, err
	}
	if d.closed {
		return Result{}, errors.New("nullblk: Run on a closed device")
	}
	if !d.running.CompareAndSwap(false, true) {
		return Result{}, errors.New("nullblk: Run while another Run is in progress on the same device")
	}
	defer d.running.Store(false)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}

	d.setupJobs(jb)
	d.stop.Store(false)
	warns0 := d.warns.Load()
	d.scanRetries.Store(0)

	var scanDone atomic.Bool
	allDone := make(chan struct{})
	var wg, scanWG sync.WaitGroup
	if d.cfg.ScanInterval > 0 {
		scanWG.Go(func() {
			for d.scanSleep(&scanDone) {
				d.scan()
			}
		})
	}
	start := time.Now()
	for _, j := range d.jobs[:jb.NumJobs] {
		wg.Go(j.run)
	}
	go func() {
		wg.Wait()
		close(allDone)
	}()
	var timeout <-chan time.Time
	if jb.Duration > 0 {
		t := time.NewTimer(jb.Duration)
		defer t.Stop()
		timeout = t.C
	}
	var runErr error
	select {
	case <-allDone:
	case <-timeout:
	case <-ctx.Done():
		runErr = ctx.Err()
	}
	d.stop.Store(true)
	<-allDone
	elapsed := time.Since(start)
	scanDone.Store(true)
	scanWG.Wait()

	var res Result
	res.Elapsed = elapsed
	var lat histogram
	for _, j := range d.jobs[:jb.NumJobs] {
		res.Requests += j.cnt.Requests
		res.Bytes += j.cnt.Bytes
		res.FailedEnds += j.cnt.FailedEnds
		res.TagToRqRetries += j.cnt.TagToRqRetries
		res.TagWaits += j.cnt.TagWaits
		res.RefcountWarns += j.cnt.RefcountWarns
		lat.merge(&j.lat)
		if j.inflight != 0 || j.remote.Load() != 0 {
			runErr = errors.Join(runErr, fmt.Errorf("nullblk: job drained with %d requests in flight", j.inflight-int(j.remote.Load())))
		}
	}
	if invariants {
		var inv invariantCounts
		for _, j := range d.jobs[:jb.NumJobs] {
			inv.submitted += j.inv.submitted
			inv.doubleQueued += j.inv.doubleQueued
			inv.doubleEnded += j.inv.doubleEnded
		}
		if inv.submitted != res.Requests || inv.doubleQueued != 0 || inv.doubleEnded != 0 {
			runErr = errors.Join(runErr, fmt.Errorf("nullblk: invariant broken: submitted %d, completed %d, queued twice %d, ended twice %d",
				inv.submitted, res.Requests, inv.doubleQueued, inv.doubleEnded))
		}
	}
	res.RefcountWarns += d.warns.Load() - warns0
	res.TagToRqRetries += d.scanRetries.Load()
	res.Latency = lat.latency()
	for _, ts := range d.sets {
		if n := ts.inUse(); n != 0 {
			runErr = errors.Join(runErr, fmt.Errorf("nullblk: %d tags still in use after the drain", n))
		}
	}
	return res, runErr
}
