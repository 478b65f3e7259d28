package nullblk

// The invariant checks catch the two ways a broken refcount shows in a
// block device: a request ended twice (its tag freed while another
// submitter owns it) and a request never ended (lost). Each request
// carries an in-flight mark, set by queue_rq and cleared by the one end
// that succeeds; each job counts what it submitted. Only builds with
// invariants enabled touch these fields.

func (j *job) checkQueued(rq *request) {
	if !rq.inflight.CompareAndSwap(false, true) {
		j.inv.doubleQueued++
	}
	j.inv.submitted++
}

func (j *job) checkEnded(rq *request) {
	if !rq.inflight.CompareAndSwap(true, false) {
		j.inv.doubleEnded++
	}
}

// invariantCounts are the checks' findings, per job.
type invariantCounts struct {
	submitted    uint64
	doubleQueued uint64
	doubleEnded  uint64
}
