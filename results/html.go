package results

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"image/color"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// RenderHTML writes r as one self-contained HTML page: the change per
// configuration as a grid of bar charts with CI error bars (panels by rw
// and iodepth, bars grouped by the remaining dimensions, one colour per
// variant), the raw trials per configuration as strip and box plots, the
// per-configuration and per-variant tables with flags and warnings, and
// the run's environment and calibration. The plots are inline SVG drawn
// with gonum/plot; the page loads nothing from elsewhere. Every name
// from the data is escaped, and the output depends only on r, so the
// same report renders to the same bytes.
func RenderHTML(w io.Writer, r Report) error {
	variants := htmlVariantOrder(r)
	colors := map[string]string{}
	for i, v := range variants {
		colors[v] = htmlPalette[i%len(htmlPalette)]
	}
	page := htmlPage{
		Title:       r.Title,
		Rows:        r.Rows,
		Variants:    r.Variants,
		Warnings:    r.Warnings,
		NTrials:     len(r.Trials),
		Calibration: htmlCalibration(r.Calibration),
		Variance:    r.Variance,
	}
	if page.Title == "" {
		page.Title = "rnullbench report"
	}
	for _, v := range variants {
		page.Legend = append(page.Legend, htmlLegendEntry{Label: v, Color: template.CSS(colors[v])})
	}
	if r.Header != nil {
		page.Env = htmlEnv(r.Header)
	}
	var err error
	if page.GridSVG, err = htmlChangeGrid(r.Rows, variants, colors); err != nil {
		return fmt.Errorf("html: change grid: %v", err)
	}
	if page.TrialsSVG, err = htmlTrialGrid(r, variants, colors); err != nil {
		return fmt.Errorf("html: trial distributions: %v", err)
	}
	return htmlTemplate.Execute(w, page)
}

// htmlPalette is the Okabe–Ito palette: distinguishable with the common
// colour-vision deficiencies and in greyscale print.
var htmlPalette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"}

type htmlPage struct {
	Title       string
	Legend      []htmlLegendEntry
	GridSVG     template.HTML
	TrialsSVG   template.HTML
	Rows        []SummaryRow
	Variants    []VariantSummary
	Warnings    []string
	NTrials     int
	Env         []htmlKV
	Calibration *htmlCalTable
	Variance    []VarianceRow
}

type htmlLegendEntry struct {
	Label string
	Color template.CSS
}

type htmlKV struct{ Key, Value string }

type htmlCalTable struct {
	Columns []string // op names, then "ns/request <irqmode>" columns
	Rows    []htmlCalRow
}

type htmlCalRow struct {
	Backend string
	Cells   []string
}

// htmlVariantOrder lists every variant once: the plan's order (baseline
// first) when there is a header, then any others as they first appear.
func htmlVariantOrder(r Report) []string {
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if r.Header != nil {
		add(r.Header.Plan.Baseline)
		for _, v := range r.Header.Plan.Variants {
			add(v.Label)
		}
	}
	for _, row := range r.Rows {
		add(row.Baseline)
		add(row.Variant)
	}
	for _, t := range r.Trials {
		add(t.Variant)
	}
	return out
}

func htmlEnv(h *Header) []htmlKV {
	e, p := h.Env, h.Plan
	var labels []string
	for _, v := range p.Variants {
		if v.Label == v.Backend {
			labels = append(labels, v.Label)
		} else {
			labels = append(labels, v.Label+"="+v.Backend)
		}
	}
	kv := []htmlKV{
		{"Started", h.Started.UTC().Format("2006-01-02 15:04:05 UTC")},
		{"Plan hash", h.PlanHash},
		{"Engine", p.Engine},
		{"Variants", strings.Join(labels, ", ")},
		{"Baseline", p.Baseline},
		{"Configurations", strconv.Itoa(len(p.Configs))},
		{"Rounds", strconv.Itoa(p.Rounds)},
		{"Warm-up trials", strconv.Itoa(p.Warmup)},
		{"Trial duration", p.Duration.String()},
		{"Seed", strconv.FormatUint(p.Seed, 10)},
		{"Shard", p.Shard},
		{"Go", e.GoVersion},
		{"GOMAXPROCS / CPUs", fmt.Sprintf("%d / %d", e.GOMAXPROCS, e.NumCPU)},
		{"CPU", e.CPUModel},
		{"Kernel", e.Kernel},
		{"Host", e.Host},
		{"Tool version", e.ToolVersion},
		{"Commit", e.Commit},
		{"Command", strings.Join(e.Args, " ")},
	}
	if h.Started.IsZero() {
		kv[0].Value = ""
	}
	keys := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kv = append(kv, htmlKV{k, p.Extra[k]})
	}
	out := kv[:0]
	for _, x := range kv {
		if x.Value != "" {
			out = append(out, x)
		}
	}
	return out
}

func htmlCalibration(rows []CalibrationRow) *htmlCalTable {
	if len(rows) == 0 {
		return nil
	}
	opSet, irqSet := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		for k := range r.OpNs {
			opSet[k] = true
		}
		for k := range r.NsPerRequest {
			irqSet[k] = true
		}
		for k := range r.OpsPerRequest {
			irqSet[k] = true
		}
		for k := range r.RequestNs {
			irqSet[k] = true
		}
	}
	ops, irqs := htmlSortedKeys(opSet), htmlSortedKeys(irqSet)
	t := &htmlCalTable{}
	for _, op := range ops {
		t.Columns = append(t.Columns, op+" ns/op")
	}
	for _, irq := range irqs {
		t.Columns = append(t.Columns, "ops/request "+irq, "ns/request "+irq, "request ns "+irq)
	}
	cell := func(m map[string]float64, k string) string {
		v, ok := m[k]
		if !ok {
			return "–"
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	for _, r := range rows {
		row := htmlCalRow{Backend: r.Backend}
		for _, op := range ops {
			row.Cells = append(row.Cells, cell(r.OpNs, op))
		}
		for _, irq := range irqs {
			row.Cells = append(row.Cells, cell(r.OpsPerRequest, irq), cell(r.NsPerRequest, irq), cell(r.RequestNs, irq))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func htmlSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// htmlConfig is a config name split into the grid's coordinates: the
// panel (rw × iodepth) and the group within the panel (everything else).
type htmlConfig struct {
	panel, group string
}

// htmlSplitConfig splits "randread/bs=4k/qd=1/jobs=1/irq=softirq" into
// panel "randread · qd=1" and group "bs=4k jobs=1 irq=softirq".
func htmlSplitConfig(name string) htmlConfig {
	elems := strings.Split(name, "/")
	rw := elems[0]
	var qd string
	var rest []string
	for _, e := range elems[1:] {
		k, _, _ := strings.Cut(e, "=")
		if k == "qd" || k == "iodepth" {
			qd = e
			continue
		}
		rest = append(rest, e)
	}
	panel := rw
	if qd != "" {
		panel += " · " + qd
	}
	group := strings.Join(rest, " ")
	if group == "" {
		group = "–"
	}
	return htmlConfig{panel: panel, group: group}
}

// htmlOrdered keeps keys in order of first appearance.
type htmlOrdered struct {
	keys []string
	idx  map[string]int
}

func (o *htmlOrdered) add(k string) int {
	if o.idx == nil {
		o.idx = map[string]int{}
	}
	if i, ok := o.idx[k]; ok {
		return i
	}
	o.idx[k] = len(o.keys)
	o.keys = append(o.keys, k)
	return len(o.keys) - 1
}

// htmlBars draws one variant's bars and CI whiskers at data x positions,
// so that bars and error bars line up whatever the panel's size.
type htmlBars struct {
	x, y, lo, hi []float64
	width        float64 // in data units
	color        color.Color
}

func (b *htmlBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.7)}
	for i := range b.x {
		if math.IsNaN(b.y[i]) || math.IsInf(b.y[i], 0) {
			continue
		}
		x0, x1 := trX(b.x[i]-b.width/2), trX(b.x[i]+b.width/2)
		y0, y1 := trY(0), trY(b.y[i])
		c.FillPolygon(b.color, c.ClipPolygonY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		if lo, hi := b.lo[i], b.hi[i]; !math.IsNaN(lo) && !math.IsNaN(hi) && !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
			xm := trX(b.x[i])
			capW := (x1 - x0) / 4
			c.StrokeLine2(line, xm, trY(lo), xm, trY(hi))
			c.StrokeLine2(line, xm-capW, trY(lo), xm+capW, trY(lo))
			c.StrokeLine2(line, xm-capW, trY(hi), xm+capW, trY(hi))
		}
	}
}

func (b *htmlBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for i := range b.x {
		xmin = math.Min(xmin, b.x[i]-b.width/2)
		xmax = math.Max(xmax, b.x[i]+b.width/2)
		for _, v := range []float64{b.y[i], b.lo[i], b.hi[i]} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	return
}

// htmlZeroLine marks "no change".
type htmlZeroLine struct{}

func (htmlZeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 40}, Width: vg.Points(0.8)}, c.Min.X, trY(0), c.Max.X, trY(0))
}

// htmlChangeGrid draws change % with CIs: one panel per rw × iodepth,
// groups of bars by the other dimensions, one bar per variant.
func htmlChangeGrid(rows []SummaryRow, variants []string, colors map[string]string) (template.HTML, error) {
	var panels, groups, vars htmlOrdered
	type key struct{ panel, group, variant int }
	cells := map[key]SummaryRow{}
	for _, v := range variants {
		for _, row := range rows {
			if row.Variant == v {
				vars.add(v)
				break
			}
		}
	}
	ymin, ymax := 0.0, 0.0
	for _, row := range rows {
		c := htmlSplitConfig(row.Config)
		k := key{panels.add(c.panel), groups.add(c.group), vars.add(row.Variant)}
		cells[k] = row
		for _, v := range []float64{row.ChangePct, row.CILoPct, row.CIHiPct} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	if len(panels.keys) == 0 {
		return "", nil
	}
	// Panels by rw (rows) × iodepth (columns), in first-appearance order.
	var rws, qds htmlOrdered
	type pos struct{ col, row int }
	at := map[int]pos{}
	for i, p := range panels.keys {
		rw, qd, _ := strings.Cut(p, " · ")
		at[i] = pos{qds.add(qd), rws.add(rw)}
	}
	pad := (ymax - ymin) * 0.08
	if pad == 0 {
		pad = 1
	}
	nv := len(vars.keys)
	width := 0.8 / float64(nv)
	plots := make([][]*plot.Plot, len(rws.keys))
	for r := range plots {
		plots[r] = make([]*plot.Plot, len(qds.keys))
	}
	for pi, pname := range panels.keys {
		p := plot.New()
		p.Title.Text = pname
		p.Y.Label.Text = "change %"
		p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
		// Only the groups this panel has: a sparse matrix (such as the
		// quick preset) would otherwise leave most of every panel empty.
		var local []int
		for gi := range groups.keys {
			for vi := range vars.keys {
				if _, ok := cells[key{pi, gi, vi}]; ok {
					local = append(local, gi)
					break
				}
			}
		}
		p.X.Min, p.X.Max = -0.5, float64(len(local))-0.5
		var ticks []plot.Tick
		for li, gi := range local {
			ticks = append(ticks, plot.Tick{Value: float64(li), Label: groups.keys[gi]})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		p.Add(plotter.NewGrid())
		p.Add(htmlZeroLine{})
		for vi, v := range vars.keys {
			b := &htmlBars{width: width * 0.9, color: htmlColor(colors[v])}
			for li, gi := range local {
				row, ok := cells[key{pi, gi, vi}]
				if !ok {
					continue
				}
				b.x = append(b.x, float64(li)-0.4+width*(float64(vi)+0.5))
				b.y = append(b.y, row.ChangePct)
				b.lo = append(b.lo, row.CILoPct)
				b.hi = append(b.hi, row.CIHiPct)
			}
			p.Add(b)
		}
		ps := at[pi]
		plots[ps.row][ps.col] = p
	}
	for r := range plots {
		for c := range plots[r] {
			if plots[r][c] == nil {
				// No data for this rw × iodepth: an empty, labelled panel.
				p := plot.New()
				p.Title.Text = rws.keys[r] + " · " + qds.keys[c] + " (no data)"
				p.HideAxes()
				plots[r][c] = p
			}
		}
	}
	panelW := vg.Points(90 + float64(len(groups.keys)*max(nv, 2))*9)
	panelH := vg.Points(260)
	return htmlDrawTiles(plots, panelW, panelH)
}

// htmlTrialGrid draws every trial's IOPS per configuration: one panel
// per config, one box and jittered strip per variant.
func htmlTrialGrid(r Report, variants []string, colors map[string]string) (template.HTML, error) {
	var configs htmlOrdered
	for _, row := range r.Rows {
		configs.add(row.Config)
	}
	for _, t := range r.Trials {
		configs.add(t.Config)
	}
	byCfg := map[string]map[string][]Trial{}
	for _, t := range r.Trials {
		if byCfg[t.Config] == nil {
			byCfg[t.Config] = map[string][]Trial{}
		}
		byCfg[t.Config][t.Variant] = append(byCfg[t.Config][t.Variant], t)
	}
	var keep []string
	for _, c := range configs.keys {
		if len(byCfg[c]) > 0 {
			keep = append(keep, c)
		}
	}
	if len(keep) == 0 {
		return "", nil
	}
	const cols = 4
	nrows := (len(keep) + cols - 1) / cols
	plots := make([][]*plot.Plot, nrows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
	}
	for ci, cfg := range keep {
		p := plot.New()
		p.Title.Text = cfg
		p.Y.Label.Text = "IOPS"
		p.Y.Tick.Marker = htmlSITicks{}
		var ticks []plot.Tick
		for vi, v := range variants {
			ts := byCfg[cfg][v]
			if len(ts) == 0 {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: float64(vi), Label: v})
			vals := make(plotter.Values, len(ts))
			pts := make(plotter.XYs, len(ts))
			for i, t := range ts {
				vals[i] = t.IOPS
				pts[i].X = float64(vi) + 0.5*(htmlJitter(t)-0.5)
				pts[i].Y = t.IOPS
			}
			box, err := plotter.NewBoxPlot(vg.Points(22), float64(vi), vals)
			if err != nil {
				return "", fmt.Errorf("config %q variant %q: %v", cfg, v, err)
			}
			box.BoxStyle.Color = color.Gray{Y: 60}
			box.GlyphStyle.Radius = 0 // outliers are drawn as points anyway
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return "", fmt.Errorf("config %q variant %q: %v", cfg, v, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: htmlColor(colors[v]), Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
			p.Add(box, sc)
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = -0.6, float64(len(variants))-0.4
		plots[ci/cols][ci%cols] = p
	}
	for c := len(keep) % cols; c > 0 && c < cols; c++ {
		p := plot.New()
		p.HideAxes()
		plots[nrows-1][c] = p
	}
	return htmlDrawTiles(plots, vg.Points(250), vg.Points(210))
}

// htmlJitter spreads points horizontally by a hash of the trial's round
// and position: deterministic, unlike a random jitter.
func htmlJitter(t Trial) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%d/%v", t.Round, t.Position, t.Process, t.IOPS)
	return float64(h.Sum64()%1000) / 1000
}

// htmlSITicks labels IOPS axes as 1.2M rather than 1.2e+06.
type htmlSITicks struct{}

func (htmlSITicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = htmlSI(ts[i].Value)
		}
	}
	return ts
}

// htmlSI formats v with an SI suffix and up to 4 significant digits.
func htmlSI(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 4, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// htmlDrawTiles draws aligned panels on one SVG canvas and returns the
// <svg> element without the XML prolog, ready to inline.
func htmlDrawTiles(plots [][]*plot.Plot, panelW, panelH vg.Length) (template.HTML, error) {
	rows, cols := len(plots), len(plots[0])
	w, h := panelW*vg.Length(cols), panelH*vg.Length(rows)
	c := vgsvg.New(w, h)
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(12), PadY: vg.Points(12), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for col := range plots[r] {
			plots[r][col].Draw(canvases[r][col])
		}
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	s := buf.String()
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	// The SVG is generated here and its text was escaped by vgsvg, so
	// it is trusted markup.
	return template.HTML(s), nil
}

func htmlColor(hex string) color.Color {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return color.Black
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		return strconv.FormatFloat(v, 'f', 2, 64) + "%"
	},
	"spct": func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		s := strconv.FormatFloat(v, 'f', 2, 64) + "%"
		if v >= 0 {
			s = "+" + s
		}
		return s
	},
	"si":    htmlSI,
	"share": func(v float64) float64 { return 100 * v },
	"p": func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		return strconv.FormatFloat(v, 'g', 3, 64)
	},
	"conf": func(v float64) string {
		if v <= 0 || math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v*100, 'g', 3, 64) + "%"
	},
	"sign": func(r SummaryRow) string {
		switch {
		case !r.Significant:
			return "same"
		case r.ChangePct < 0:
			return "slower"
		default:
			return "faster"
		}
	},
	"join": strings.Join,
}).Parse(htmlPageTemplate))

const htmlPageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #111; }
h1 { font-size: 1.5em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }
th { background: #f0f0f0; }
td.l, th.l { text-align: left; }
tr.slower td.chg { color: #b00; font-weight: bold; }
tr.faster td.chg { color: #070; font-weight: bold; }
.legend span.sw { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: middle; }
figure { margin: 0.5em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.flags { color: #a40; }
ul.warn li { color: #a40; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Variants}}<section id="headline"><p>
{{range .}}<b>{{.Variant}}</b> vs <b>{{.Baseline}}</b>: mean of difference {{spct .MeanChangePct}} [{{spct .MeanCILoPct}}, {{spct .MeanCIHiPct}}] over {{.Configs}} configurations; {{.Slower}} slower, {{.Faster}} faster ({{.Correction}}).<br>
{{end}}</p></section>{{end}}

<section id="change">
<h2>Change in throughput per configuration</h2>
<p>Change of mean IOPS against the baseline, in percent, with the confidence interval as error bars. Negative means slower. Panels by rw pattern and iodepth.</p>
<p class="legend">{{range .Legend}}<span class="sw" style="background: {{.Color}}"></span>{{.Label}}{{end}}</p>
{{if .GridSVG}}<figure class="plot" id="change-grid">{{.GridSVG}}</figure>{{else}}<p>No comparisons to plot.</p>{{end}}
</section>

<section id="variants">
<h2>Per-variant summary</h2>
{{if .Variants}}<table>
<tr><th class="l">variant</th><th class="l">baseline</th><th>configs</th><th>mean of difference</th><th>CI</th><th>geomean change</th><th>CI</th><th>significant</th><th>slower</th><th>faster</th><th class="l">correction</th></tr>
{{range .Variants}}<tr><td class="l">{{.Variant}}</td><td class="l">{{.Baseline}}</td><td>{{.Configs}}</td><td>{{spct .MeanChangePct}}</td><td>[{{spct .MeanCILoPct}}, {{spct .MeanCIHiPct}}]</td><td>{{spct .GeoMeanChangePct}}</td><td>[{{spct .GeoMeanCILoPct}}, {{spct .GeoMeanCIHiPct}}]</td><td>{{.Significant}}</td><td>{{.Slower}}</td><td>{{.Faster}}</td><td class="l">{{.Correction}}</td></tr>
{{end}}</table>{{else}}<p>No per-variant summary.</p>{{end}}
{{with .Warnings}}<h3>Warnings</h3><ul class="warn">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>

<section id="summary">
<h2>Per-configuration results</h2>
{{if .Rows}}<table id="summary-table">
<tr><th class="l">config</th><th class="l">variant</th><th class="l">baseline</th><th>n</th><th>n base</th><th>mean IOPS</th><th>baseline IOPS</th><th>change</th><th>CI</th><th class="l">method</th><th>p</th><th>p adj.</th><th class="l">verdict</th><th class="l">flags</th></tr>
{{range .Rows}}<tr class="{{sign .}}"><td class="l">{{.Config}}</td><td class="l">{{.Variant}}</td><td class="l">{{.Baseline}}</td><td>{{.N}}</td><td>{{.NBaseline}}</td><td>{{si .Mean}}</td><td>{{si .BaselineMean}}</td><td class="chg">{{spct .ChangePct}}</td><td>[{{spct .CILoPct}}, {{spct .CIHiPct}}]</td><td class="l">{{.CIMethod}} {{conf .Confidence}}</td><td>{{p .PValue}}</td><td>{{p .PAdjusted}}</td><td class="l">{{.Verdict}}</td><td class="l flags">{{join .Flags ", "}}</td></tr>
{{end}}</table>{{else}}<p>No rows.</p>{{end}}
</section>

<section id="trials">
<h2>Raw trials</h2>
{{if .TrialsSVG}}<p>Every trial's IOPS per configuration and variant ({{.NTrials}} trials): boxes show the quartiles, points the trials.</p>
<figure class="plot" id="trial-grid">{{.TrialsSVG}}</figure>{{else}}<p>No trials in this report.</p>{{end}}
</section>

{{with .Variance}}<section id="variance">
<h2>Between and within processes</h2>
<p>Each group of rounds ran in a fresh process. The standard deviation of the trials splits into a part between processes (layout: code and data placement, environment size) and a part within one process. A large share between processes means only more processes, not longer runs, narrow the interval.</p>
<table id="variance-table"><tr><th class="l">config</th><th class="l">variant</th><th>processes</th><th>trials</th><th>within, % of mean</th><th>between, % of mean</th><th>share between</th><th>p (process effect)</th></tr>
{{range .}}<tr><td class="l">{{.Config}}</td><td class="l">{{.Variant}}</td><td>{{.Processes}}</td><td>{{.N}}</td><td>{{printf "%.2f" .WithinCVPct}}</td><td>{{printf "%.2f" .BetweenCVPct}}</td><td>{{printf "%.0f%%" (share .BetweenShare)}}</td><td>{{p .PValue}}</td></tr>
{{end}}</table>
</section>
{{end}}
<section id="env">
<h2>Run environment</h2>
{{if .Env}}<table id="env-table">{{range .Env}}<tr><th class="l">{{.Key}}</th><td class="l">{{.Value}}</td></tr>
{{end}}</table>{{else}}<p>Unknown: the data did not come with a run header (e.g. a raw CSV).</p>{{end}}
{{with .Calibration}}<h3>Calibration</h3>
<table id="calibration-table"><tr><th class="l">backend</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td class="l">{{.Backend}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
</section>
</body>
</html>
`
