package invapi

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// The poller's schedule: when to check each operation.
//
// For each kind of action (power, reinstall, order, NAT, other) the poller
// keeps a small histogram of how long operations of that kind took on this
// client, and one per stage gap (from the start or from the k-th "Stage"
// answer to the next answer that says something new), seeded with priors.
// The checks aim at a lateness, a fraction of the spread of the kind's
// completion times: one check every lateness where operations of the kind
// finish, none where they do not (until the cap), never closer than the
// first WithPollInterval bound and never further apart than the second,
// unless more operations wait than the request budget can check in that
// time (see pauseLocked).

// opKind is the kind of action an operation belongs to, for learning.
type opKind uint8

const (
	kindPower     opKind = iota // eq reboot, on, off, unit_reset
	kindReinstall               // eq reinstall (the install with its five stages)
	kindOrder                   // eq order_instance
	kindNAT                     // nat actions (nat_callback)
	kindOther                   // anything else, and resumed keys of unknown action
	numKinds
)

var kindNames = [numKinds]string{"power", "reinstall", "order", "nat", "other"}

// actionKind classifies an operation by the action that started it.
func actionKind(kind callbackKind, module, action string) opKind {
	if kind == natCallback || module == "nat" {
		return kindNAT
	}
	switch action {
	case "reboot", "on", "off", "unit_reset":
		return kindPower
	case "reinstall":
		return kindReinstall
	case "order_instance":
		return kindOrder
	}
	return kindOther
}

const (
	// checksPerSpread sets the lateness the schedule aims at (see
	// pauseLocked): the spread of the middle 80 % of a kind's completion
	// times (its 10th to 90th percentile: the edges of a learned
	// distribution are blurred by the checks' own lateness) over it.
	checksPerSpread = 9
	// skipMass: the checks skip ahead to where this share of what is left
	// may finish; tailShare: a check comes no later than the time by which
	// all but this share of what is left is over.
	skipMass  = 0.005
	tailShare = 0.02
	// atOnceMass: a wait's first check goes at once when this share of its
	// kind is over within the shortest pause.
	atOnceMass = 0.02

	// priorWeight is how many operations the priors weigh; they keep at
	// least minPriorShare of the mass however many were seen, so the
	// schedule never rules a completion time out.
	priorWeight   = 4.0
	minPriorShare = 0.01
	// learnHalfLife: an operation started this long before another weighs
	// half as much. Weights go by when operations started, not by when
	// they finished, so of a batch started together the late finishers do
	// not outweigh the early ones.
	learnHalfLife = 6 * time.Hour

	// trustSamples: until this many operations of a kind (at a stage) were
	// seen finish, checks come no later than the old backoff would.
	trustSamples = 8

	// maxGaps bounds the stage gaps learned apart; later stages share the
	// last one.
	maxGaps = 8
)

// The histogram's bins: [0, 1ms), then logarithmic, 6 % wide, up to about
// three hours.
const (
	histBins  = 280
	histBase  = float64(time.Millisecond)
	histRatio = 1.06
)

var (
	histEdges = func() (e [histBins + 1]float64) {
		for i := 1; i <= histBins; i++ {
			e[i] = histBase * math.Pow(histRatio, float64(i-1))
		}
		return e
	}()
	histLogRatio = math.Log(histRatio)
)

// binOf returns the bin holding t (nanoseconds).
func binOf(t float64) int {
	if t < histBase {
		return 0
	}
	i := 1 + int(math.Log(t/histBase)/histLogRatio)
	i = min(max(i, 0), histBins-1)
	for i > 0 && t < histEdges[i] {
		i--
	}
	for i < histBins-1 && t >= histEdges[i+1] {
		i++
	}
	return i
}

// spread adds mass m, spread evenly over [lo, hi] (nanoseconds), to w: an
// operation seen unfinished at lo and finished at hi ended somewhere in
// between.
func spread(w *[histBins]float64, lo, hi, m float64) {
	top := histEdges[histBins]
	lo = min(max(lo, 0), top)
	hi = min(max(hi, lo), top)
	if hi-lo < 1 {
		w[min(binOf(lo), histBins-1)] += m
		return
	}
	for i := binOf(lo); i < histBins && histEdges[i] < hi; i++ {
		a, b := max(lo, histEdges[i]), min(hi, histEdges[i+1])
		if b > a {
			w[i] += m * (b - a) / (hi - lo)
		}
	}
}

// cdfOf and quantileOf read a cumulative distribution given at the bins'
// edges, linear within a bin.
func cdfOf(cum *[histBins + 1]float64, t float64) float64 {
	if t <= 0 {
		return 0
	}
	if t >= histEdges[histBins] {
		return 1
	}
	i := binOf(t)
	f := (t - histEdges[i]) / (histEdges[i+1] - histEdges[i])
	return cum[i] + (cum[i+1]-cum[i])*min(max(f, 0), 1)
}

func quantileOf(cum *[histBins + 1]float64, q float64) float64 {
	q = min(max(q, 0), 1)
	i := sort.Search(histBins, func(i int) bool { return cum[i+1] >= q })
	if i >= histBins {
		return histEdges[histBins]
	}
	d := cum[i+1] - cum[i]
	if d <= 0 {
		return histEdges[i]
	}
	return histEdges[i] + (q-cum[i])/d*(histEdges[i+1]-histEdges[i])
}

// segment is a share of a prior's probability, spread evenly over [lo, hi).
type segment struct {
	lo, hi time.Duration
	mass   float64
}

// The priors, per kind: what a client expects before it has seen an
// operation of the kind finish. Each keeps a tenth for an answer at once
// (a stand-in server, an action that completes synchronously), so a fresh
// client checks a new operation at once, as it always did.
var priorSegments = [numKinds][]segment{
	kindPower: {{0, time.Millisecond, 0.1}, {time.Second, 30 * time.Second, 0.1},
		{30 * time.Second, 150 * time.Second, 0.7}, {150 * time.Second, 10 * time.Minute, 0.1}},
	kindReinstall: {{0, time.Millisecond, 0.1}, {30 * time.Second, 5 * time.Minute, 0.1},
		{5 * time.Minute, 30 * time.Minute, 0.7}, {30 * time.Minute, 2 * time.Hour, 0.1}},
	kindOrder: {{0, time.Millisecond, 0.1}, {time.Minute, 10 * time.Minute, 0.1},
		{10 * time.Minute, 30 * time.Minute, 0.7}, {30 * time.Minute, 2 * time.Hour, 0.1}},
	kindNAT: {{0, time.Millisecond, 0.1}, {time.Second, 30 * time.Second, 0.6},
		{30 * time.Second, 2 * time.Minute, 0.2}, {2 * time.Minute, 10 * time.Minute, 0.1}},
	kindOther: {{0, time.Millisecond, 0.1}, {time.Second, time.Minute, 0.3},
		{time.Minute, 10 * time.Minute, 0.4}, {10 * time.Minute, time.Hour, 0.2}},
}

// stageGapScale: a prior stage gap is the kind's completion prior over
// five (reinstalls report five stages).
const stageGapScale = 5

// priors[k][0] is kind k's completion prior; priors[k][1] its stage gap
// prior. Both are cumulative at the bins' edges.
var priors = func() (p [numKinds][2]*[histBins + 1]float64) {
	for k, segs := range priorSegments {
		for j, scale := range []float64{1, stageGapScale} {
			var w [histBins]float64
			for _, s := range segs {
				lo, hi := float64(s.lo), float64(s.hi)
				if lo > 0 {
					lo, hi = lo/scale, hi/scale
				}
				spread(&w, lo, hi, s.mass)
			}
			cum := new([histBins + 1]float64)
			total := 0.0
			for _, m := range w {
				total += m
			}
			acc := 0.0
			for i, m := range w {
				acc += m
				cum[i+1] = acc / total
			}
			cum[histBins] = 1
			p[k][j] = cum
		}
	}
	return p
}()

// An observation: an operation not over at lo and over at hi
// (nanoseconds), of weight w. key places it in the reservoir of kept
// observations (see keep).
type observation struct{ lo, hi, w, key float64 }

const (
	// maxObs bounds the observations a distribution keeps: a sample of all
	// it saw, weighted by recency (see keep).
	maxObs = 512
	// fitEvery: the histogram is fitted again to the kept observations
	// after this many new ones (in between, each is added as it comes).
	fitEvery = 128
	// fitRounds of the fit: each observation's weight goes to the bins it
	// overlaps in proportion to the distribution fitted so far (the
	// self-consistent estimate for interval-censored times), so an
	// operation seen over somewhere in a long gap between two checks lands
	// where operations seen more closely finished, instead of smearing the
	// edges of the distribution. Each fit starts where the last one ended,
	// so the rounds add up across fits: a few per fit keep the time spent
	// under the poller's lock small.
	fitRounds = 4
)

// dist is a learned distribution: a prior blended with what was seen.
type dist struct {
	prior    *[histBins + 1]float64
	obs      []observation
	seen     [histBins]float64 // weight per bin of what was seen
	total    float64           // weight of seen
	unit     float64           // weight of the latest operation seen
	epoch    time.Time         // an operation started then weighs 1
	samples  int               // observations ever added
	sinceFit int
	cum      [histBins + 1]float64
	dirty    bool
}

func newDist(prior *[histBins + 1]float64) *dist {
	d := &dist{prior: prior}
	d.cum = *prior
	return d
}

// add records an operation started at start that was not over at lo and
// was over at hi (both from start, or from its last stage for a gap).
func (d *dist) add(start time.Time, lo, hi time.Duration) {
	if x := start.Sub(d.epoch); d.epoch.IsZero() || x > 20*learnHalfLife {
		// Move the epoch on, so weights stay near 1.
		if !d.epoch.IsZero() {
			f := math.Exp2(-float64(x) / float64(learnHalfLife))
			for i := range d.seen {
				d.seen[i] *= f
			}
			for i := range d.obs {
				d.obs[i].w *= f
				d.obs[i].key /= f
			}
			d.total *= f
			d.unit *= f
		}
		d.epoch = start
	}
	o := observation{lo: float64(lo), hi: float64(hi), w: math.Exp2(float64(start.Sub(d.epoch)) / float64(learnHalfLife))}
	d.keep(o)
	d.refresh()
	d.spreadLikely(&d.seen, o, &d.cum)
	d.total += o.w
	d.unit = max(d.unit, o.w)
	d.samples++
	d.sinceFit++
	d.dirty = true
}

// keep puts o in the reservoir of kept observations: a weighted random
// sample without replacement (Efraimidis and Spirakis' A-Res: each keeps a
// key u^(1/w), here its logarithm, and the maxObs largest keys stay).
// Observations of one batch weigh the same, so the sample holds its early
// and late finishers alike; replacing a kept one at random instead would
// keep mostly the latest additions, which in a batch larger than maxObs
// are its slowest operations, and the schedule would learn them alone.
func (d *dist) keep(o observation) {
	o.key = math.Log(1-rand.Float64()) / o.w
	if len(d.obs) < maxObs {
		d.obs = append(d.obs, o)
		return
	}
	low := 0
	for i := range d.obs {
		if d.obs[i].key < d.obs[low].key {
			low = i
		}
	}
	if o.key > d.obs[low].key {
		d.obs[low] = o
	}
}

// spreadLikely adds o's weight to w over the bins o overlaps, in
// proportion to where cum puts the probability within them.
func (d *dist) spreadLikely(w *[histBins]float64, o observation, cum *[histBins + 1]float64) {
	top := histEdges[histBins]
	lo, hi := min(max(o.lo, 0), top), min(max(o.hi, 0), top)
	if hi-lo < 1 {
		w[binOf(lo)] += o.w
		return
	}
	first := binOf(lo)
	sum := 0.0
	for pass := 0; pass < 2; pass++ {
		for i := first; i < histBins && histEdges[i] < hi; i++ {
			a, b := max(lo, histEdges[i]), min(hi, histEdges[i+1])
			if b <= a {
				continue
			}
			m := (cum[i+1] - cum[i]) * (b - a) / (histEdges[i+1] - histEdges[i])
			if pass == 0 {
				sum += m
			} else {
				w[i] += o.w * m / sum
			}
		}
		if sum <= 0 {
			spread(w, lo, hi, o.w)
			return
		}
	}
}

// fit rebuilds the histogram from the kept observations, fitRounds times
// where the fit so far puts the probability, starting from the last fit
// (with what was added since).
func (d *dist) fit() {
	d.sinceFit = 0
	total, unit := 0.0, 0.0
	for _, o := range d.obs {
		total += o.w
		unit = max(unit, o.w)
	}
	d.total, d.unit = total, unit
	cum := d.cum
	var w [histBins]float64
	for r := range fitRounds {
		if r > 0 {
			d.blend(&cum, &w)
		}
		w = [histBins]float64{}
		for _, o := range d.obs {
			d.spreadLikely(&w, o, &cum)
		}
		smooth(&w)
	}
	d.seen = w
}

// smooth spreads a sixteenth of each bin's weight to either neighbour. Left to
// itself the self-consistent fit converges to weight on a few bins only
// (where intervals overlap most) and none between, and the schedule would
// skip those holes; the smoothing step keeps the fit continuous (EMS, the
// EM algorithm with smoothing), at the cost of blurring the edges by a bin
// or so.
func smooth(w *[histBins]float64) {
	prev := w[0]
	for i := range histBins {
		cur := w[i]
		next := 0.0
		if i+1 < histBins {
			next = w[i+1]
		}
		l, r := prev, next
		if i == 0 {
			l = cur
		}
		if i+1 == histBins {
			r = cur
		}
		w[i] = (l + 14*cur + r) / 16
		prev = cur
	}
}

// blend writes to cum the prior blended with w: the prior weighs
// priorWeight operations against those seen (each counted by its weight
// against the latest one's), and at least minPriorShare.
func (d *dist) blend(cum *[histBins + 1]float64, w *[histBins]float64) {
	share := 1.0
	if d.total > 0 {
		share = max(minPriorShare, priorWeight/(priorWeight+d.total/d.unit))
	}
	acc := 0.0
	cum[0] = 0
	for i, m := range w {
		acc += m
		t := 0.0
		if d.total > 0 {
			t = acc / d.total
		}
		cum[i+1] = share*d.prior[i+1] + (1-share)*t
	}
	cum[histBins] = 1
}

func (d *dist) refresh() {
	if !d.dirty {
		return
	}
	d.dirty = false
	if d.sinceFit >= fitEvery {
		d.fit()
	}
	d.blend(&d.cum, &d.seen)
}

func (d *dist) cdf(t float64) float64 {
	d.refresh()
	return cdfOf(&d.cum, t)
}

func (d *dist) quantile(q float64) float64 {
	d.refresh()
	return quantileOf(&d.cum, q)
}

// learner holds a client's distributions, made on first use.
type learner struct {
	kinds [numKinds]kindDists
	// actions holds the actions of kind "other" apart too, by module and
	// action, up to maxActions of them: their lengths differ widely (a port
	// switched in seconds, an ISO mounted in minutes), and one lateness for
	// them all would be far too coarse for the short ones.
	actions map[[2]string]*kindDists
}

// maxActions bounds the actions of kind "other" learned apart (each keeps
// its stage gaps, about 20 KB a stage; their completion times, which only
// PollerStats reads, are the kind's).
const maxActions = 32

// kindDists are what was learned of one kind of action, or of one action.
type kindDists struct {
	completion *dist
	gaps       [maxGaps]*dist // gaps[k]: from the k-th stage (0: the start) to the next answer
}

func (m *kindDists) completionOf(k opKind) *dist {
	if m.completion == nil {
		m.completion = newDist(priors[k][0])
	}
	return m.completion
}

func (m *kindDists) gapOf(k opKind, stage int) *dist {
	stage = min(stage, maxGaps-1)
	if m.gaps[stage] == nil {
		prior := priors[k][0]
		if stage > 0 {
			prior = priors[k][1]
		}
		m.gaps[stage] = newDist(prior)
	}
	return m.gaps[stage]
}

func (l *learner) completion(k opKind) *dist { return l.kinds[k].completionOf(k) }

func (l *learner) gap(k opKind, stage int) *dist { return l.kinds[k].gapOf(k, stage) }

// action returns what was learned of w's own action: nil for the kinds
// other than "other", for a key resumed without its action, and past
// maxActions.
func (l *learner) action(w *pollState) *kindDists {
	if w.kind != kindOther || w.op.action == "" {
		return nil
	}
	key := [2]string{w.op.module, w.op.action}
	m := l.actions[key]
	if m == nil && len(l.actions) < maxActions {
		if l.actions == nil {
			l.actions = make(map[[2]string]*kindDists)
		}
		m = &kindDists{}
		l.actions[key] = m
	}
	return m
}

// scheduling returns the distribution that places w's next check: its
// action's, once trustSamples of that action were seen end the gap it is
// in; else its kind's.
func (l *learner) scheduling(w *pollState) *dist {
	if m := l.action(w); m != nil {
		if d := m.gapOf(kindOther, w.stage); d.samples >= trustSamples {
			return d
		}
	}
	return l.gap(w.kind, w.stage)
}

// learnGap records that w's operation was not past its current gap at lo
// and was at hi, for its kind and its action.
func (l *learner) learnGap(w *pollState, lo, hi time.Duration) {
	l.gap(w.kind, w.stage).add(w.start, lo, hi)
	if m := l.action(w); m != nil {
		m.gapOf(kindOther, w.stage).add(w.start, lo, hi)
	}
}

// afterCheckLocked returns the pause after a check of w that answered a
// (answerPending or answerStage), now, and keeps it as w.interval. After a
// stage the next check comes after the shortest pause, as it always did:
// stages may be queued on the API, each answer reporting one, so progress
// is read soon after it happens. Otherwise the learned schedule decides.
func (p *poller) afterCheckLocked(w *pollState, now time.Time, a checkAnswer) time.Duration {
	if a == answerStage {
		lo := p.opts.minInterval
		w.interval = min(p.opts.maxInterval, lo+time.Duration(rand.Int64N(int64(lo)/10+1)))
	} else {
		w.interval = p.pauseLocked(w, now, false)
	}
	return w.interval
}

// pauseLocked returns how long to wait before w's next check, now. first
// is the first check of a wait.
//
// The schedule aims at a lateness: how long after an operation finishes
// the poller may see it. It is the spread of the kind's completion times
// (its 10th to 90th percentile) over checksPerSpread. Where operations of
// the kind finish, a check comes every lateness. Where (almost) none do
// for longer than that (before the first ever seen finish), the checks
// skip it: the next comes a lateness after the time by which a small share
// (skipMass) of what is left may have finished. A check never comes later
// than the time by which all but tailShare of what is left is over, nor
// later than the cap. When more operations are queued than the request
// budget can check in the lateness, the lateness and the cap grow to one
// round of them all (see roundLocked), and an operation's phase moves its
// check after a skip up to one round earlier, so operations started
// together do not all arrive at once.
func (p *poller) pauseLocked(w *pollState, now time.Time, first bool) time.Duration {
	lo, hi := p.opts.minInterval, p.opts.maxInterval
	if lo >= hi { // a fixed interval (WithPollInterval(d, d)): as configured
		if first {
			return 0
		}
		return jitter(hi)
	}
	d := p.learned.scheduling(w)
	e := float64(now.Sub(w.ref))
	fe := d.cdf(e)
	late := min(max((d.quantile(0.9)-d.quantile(0.1))/checksPerSpread, float64(lo)), float64(hi))
	// A round: how long the poller takes to check every queued operation
	// once. No operation can be checked more often, so the lateness and
	// the cap are at least that; and operations arriving together at the
	// end of a skip are spread over it, so they queue no longer than they
	// would anyway (and a few are not checked early for nothing).
	round := p.roundLocked()
	late = max(late, round)
	hi = max(hi, time.Duration(round))
	left := 1 - fe
	g := math.Inf(1)
	if first && d.cdf(e+float64(lo))-fe >= atOnceMass {
		// Many of the kind are over within the shortest pause (a fresh
		// client's priors, a stand-in or test server, an action that
		// ends as it is answered): check at once.
		g = 0
	} else if left > 0 {
		g = late
		if from := d.quantile(fe + skipMass*left); from-e > late {
			// A skip, over a stretch of at least one lateness where
			// (almost) nothing of the kind finishes.
			g = from + late - e - w.phase*round
		}
		g = min(g, d.quantile(fe+left*(1-tailShare))-e)
	}
	floor := lo
	if first {
		floor = 0
	}
	if d.samples < trustSamples && !first {
		// Few operations of this kind (at this stage) seen finish yet: the
		// priors may make checks sparser only where the old backoff (the
		// pause growing by half from the shortest) already is, so a
		// client's first operations of a kind are seen at least as soon as
		// before (a stand-in, or a test server, finishing after a few
		// checks; "other" gathers actions of very different lengths).
		g = min(g, float64(min(hi, max(lo, w.interval+w.interval/2))))
	}
	switch {
	case g >= float64(hi) && fe >= 0.5 && !first:
		// Nothing expected within the cap, and most operations of the
		// kind were over by now: this one is slower than those seen. Back
		// off from the last pause by half, up to the cap, so one just
		// beyond what was seen is still seen soon (as soon as the budget
		// allows).
		return min(hi, max(lo, w.interval+w.interval/2, time.Duration(round)))
	case g >= float64(hi):
		// Never above the cap; spread a little below it, so operations
		// waiting at the cap do not poll in lockstep.
		return max(lo, hi-time.Duration(rand.Int64N(int64(hi)/10+1)))
	case g < float64(floor):
		return floor
	}
	return time.Duration(g)
}

// roundLocked returns how long, in nanoseconds, one check of every queued
// operation takes within the poller's request budget (WithPollBudget).
//
// The budget is the one pace the poller knows for sure. Measuring what the
// API and the network sustain (the time between check starts when checks
// were overdue, the round trip over the checks in flight) was tried: on a
// loaded machine it measured its own backlog, widened the lateness, and
// fed back into ever sparser checks.
func (p *poller) roundLocked() float64 {
	return float64(len(p.queue)+1) * float64(time.Second) / p.opts.perSecond
}

// notedLocked records what a check sent at sent saw (pending or stage) for
// the schedule, and learns the stage gap it ends.
func (p *poller) notedLocked(w *pollState, sent time.Time, a checkAnswer) {
	switch a {
	case answerPending:
		w.lastSent, w.lastEmpty = sent, sent
	case answerStage:
		lo, hi := w.gapSeen(sent)
		p.learned.learnGap(w, lo, hi)
		w.stage++
		// The stage came between the last check that did not see it and
		// this one: count the next gap from halfway, so the gaps learned
		// are not short by how late a stage was seen.
		ref := sent
		if !w.lastSent.IsZero() {
			ref = w.lastSent.Add(sent.Sub(w.lastSent) / 2)
		}
		w.ref, w.lastSent, w.lastEmpty = ref, time.Time{}, sent
	}
}

// learnedLocked learns from w's operation, which finished with OK at its
// last check: its last stage gap and its completion time. Times count from
// when the Operation was made (the action's answer, or ResumeOperation for
// a saved key), as the schedule counts them: what a resumed key teaches is
// how long such keys took from their resume.
func (p *poller) learnedLocked(w *pollState) {
	if w.sent.IsZero() {
		return
	}
	lo, hi := w.gapSeen(w.sent)
	p.learned.learnGap(w, lo, hi)
	lo = 0
	if !w.lastEmpty.IsZero() {
		lo = w.lastEmpty.Sub(w.start)
	}
	p.learned.completion(w.kind).add(w.start, lo, w.sent.Sub(w.start))
}

// gapSeen is the gap since the last event (the start, or the last stage)
// that a check sent at sent ends: it was not over at lo (the last check
// that saw nothing new, or the event itself) and over at hi.
func (w *pollState) gapSeen(sent time.Time) (lo, hi time.Duration) {
	if !w.lastSent.IsZero() {
		lo = w.lastSent.Sub(w.ref)
	}
	return lo, sent.Sub(w.ref)
}

// PollerStats is a snapshot of a client's callback poller, from
// Client.PollerStats.
type PollerStats struct {
	// Watched is the number of operations being waited on now (Wait,
	// Progress or Watch running).
	Watched int
	// Checks is the number of callback checks sent since the client was
	// made (a check's retries of one request count once).
	Checks int64
	// Finished is the number of operations whose end the poller saw: OK,
	// failed, key gone, unknown outcome, or given up after failed checks
	// (not those ended by Client.Close).
	Finished int64
	// Kinds is what the poller has learned, one entry per kind of action,
	// always all of them, in this order: "power" (eq reboot, on, off,
	// unit_reset), "reinstall", "order" (order_instance), "nat" (NAT
	// actions) and "other" (any other action, and keys resumed without
	// knowing their action). The actions of "other" are also learned one
	// by one, and each schedules its own checks once the poller has seen
	// 8 of it finish; the "other" entry is all of them together.
	Kinds []PollerKindStats
}

// PollerKindStats is what the poller expects of one kind of action.
type PollerKindStats struct {
	Kind string
	// Samples is the number of operations of this kind the client saw
	// finish with OK and learned from.
	Samples int
	// Median and P90 are the completion times the schedule expects, from
	// the start of the operation (or its resume): half and nine in ten of
	// the operations of this kind finish by then. With no samples they are
	// the priors'; with more, more what the client saw.
	Median, P90 time.Duration
}

// PollerStats reports what the client's callback poller is doing and what
// it has learned of how long operations take. It is safe to call at any
// time, from any goroutine.
func (c *Client) PollerStats() PollerStats {
	p := c.poller
	p.mu.Lock()
	defer p.mu.Unlock()
	st := PollerStats{Checks: p.checks, Finished: p.finished, Kinds: make([]PollerKindStats, numKinds)}
	for _, w := range p.ops {
		if w.waiters > 0 && !w.ended {
			st.Watched++
		}
	}
	for k := range numKinds {
		ks := PollerKindStats{Kind: kindNames[k]}
		cum := priors[k][0]
		if d := p.learned.kinds[k].completion; d != nil {
			d.refresh()
			cum, ks.Samples = &d.cum, d.samples
		}
		ks.Median = time.Duration(quantileOf(cum, 0.5))
		ks.P90 = time.Duration(quantileOf(cum, 0.9))
		st.Kinds[k] = ks
	}
	return st
}
